package dev.eventsourcery.eventstore.benchmarks;

import java.util.List;
import java.util.UUID;

/**
 * One way of storing events that the scenarios measure: the event store, Axon, raw JDBC, or the event
 * store of an earlier build. Every contender keeps its events in its own tables of the same database (the
 * earlier build in the event store's) and takes connections from the same pool.
 */
interface Contender {

    /** The name in the table's header. */
    String name();

    /**
     * Appends events to a stream that must be at {@code expectedVersion} (0: the stream must not exist),
     * atomically, failing when it is not.
     */
    void append(UUID stream, long expectedVersion, List<MoneyDeposited> events);

    /** Loads a whole stream with every payload deserialized; the list holds what a caller would keep. */
    List<?> load(UUID stream);

    /**
     * Writes {@code streams × eventsPerStream} events straight into this contender's tables with
     * server-side SQL, as its own appends would have stored them: a store that has grown.
     */
    void fill(int streams, int eventsPerStream);

    /** The tables to refresh planner statistics for after a fill. */
    List<String> tables();
}
