package dev.eventsourcery.eventstore.benchmarks;

/**
 * A contender that keeps one log of all its events, in commit order, and reads it from the start (S7): the
 * event store's subscription, Axon's tracking event stream, raw JDBC's log table read the event store's way.
 */
interface LogReader extends Contender {

    /**
     * After the log's appends, not measured: makes every appended event readable in the log, and checks that
     * the log holds exactly {@code events} events.
     *
     * @throws IllegalStateException when it holds another number: S7 must run on tables that hold nothing else
     */
    void completeLog(int events);

    /**
     * Reads the first {@code events} events of the log, in order, every payload and context deserialized, and
     * returns the sum of their {@link MoneyDeposited#amountInCents()}, which proves every payload was read.
     *
     * @throws IllegalStateException when the log ends before
     */
    long readLog(int events);
}
