package dev.eventsourcery.eventstore.jpa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The order in which one numbering pass gives its events their positions. Across streams, the order of the
 * event ids, which follows the order of the appends' statements (all of a pass's events committed before
 * any of them becomes visible, so any order among streams keeps the log in commit order). Within a versioned
 * stream, its versions: the stream's events take the places its events have in the id order, in version
 * order. So a stream is logged in version order whatever order the database handed its event ids out in (a
 * sequence cache, an identity running backwards, a bulk insert), given that a pass holds all of a stream's
 * pending events, as the sequencer's passes do. A versionless stream keeps the id order, which is the order
 * its loads show too.
 */
final class LogOrder {

    private static final Comparator<LogRows.Pending> BY_VERSION = Comparator.comparing(LogRows.Pending::version);

    private LogOrder() {
    }

    /**
     * The events in the order to number them.
     *
     * @param events the committed pending events, in the order of their event ids
     */
    static List<LogRows.Pending> of(List<LogRows.Pending> events) {
        // each versioned stream's first place, and the places of the streams that hold several
        Map<UUID, Integer> firstPlaces = new HashMap<>();
        Map<UUID, List<Integer>> sharedPlaces = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            LogRows.Pending event = events.get(i);
            if (event.version() == null) {
                continue;
            }
            Integer first = firstPlaces.putIfAbsent(event.streamRow(), i);
            if (first != null) {
                sharedPlaces.computeIfAbsent(event.streamRow(), stream -> new ArrayList<>(List.of(first))).add(i);
            }
        }
        if (sharedPlaces.isEmpty()) {
            return events;
        }
        LogRows.Pending[] ordered = events.toArray(new LogRows.Pending[0]);
        for (List<Integer> places : sharedPlaces.values()) {
            List<LogRows.Pending> stream = new ArrayList<>(places.size());
            places.forEach(place -> stream.add(events.get(place)));
            stream.sort(BY_VERSION);
            for (int i = 0; i < places.size(); i++) {
                ordered[places.get(i)] = stream.get(i);
            }
        }
        return Arrays.asList(ordered);
    }
}
