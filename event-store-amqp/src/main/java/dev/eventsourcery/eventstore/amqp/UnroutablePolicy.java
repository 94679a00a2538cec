package dev.eventsourcery.eventstore.amqp;

/**
 * What the outbox does with a message RabbitMQ returns as unroutable: one that no queue is bound to receive
 * (published with {@code mandatory}, so the broker says so instead of dropping it).
 */
public enum UnroutablePolicy {

    /**
     * The batch fails and is published again with back-off until a queue is bound for it: the outbox does not
     * move past an event no one would receive.
     */
    FAIL,

    /** The message is counted and logged as a warning with its event id, and the outbox moves on. */
    SKIP
}
