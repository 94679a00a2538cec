package dev.eventsourcery.eventstore.storage;

import java.util.List;
import java.util.Objects;

/**
 * What a read of the log found.
 *
 * @param records the matching events, in position order
 * @param head the highest position the log had reached when it was read (whatever the filters): every
 *     event up to it was visible to the read; {@code 0} for an empty log
 */
public record LogPage(List<LogRecord> records, long head) {

    /** Copies the records. */
    public LogPage {
        records = List.copyOf(Objects.requireNonNull(records, "records"));
    }
}
