package dev.eventsourcery.eventstore.amqp;

/**
 * What the publisher counts: the messages RabbitMQ confirmed, those it refused with a negative confirm, and those
 * it returned as unroutable.
 */
interface PublishMeters {

    /** Counts nothing. */
    PublishMeters NONE = new PublishMeters() {
    };

    /** RabbitMQ confirmed this many messages. */
    default void confirmed(int messages) {
    }

    /** RabbitMQ refused a message: a negative confirm. */
    default void refused() {
    }

    /** RabbitMQ returned a message as unroutable. */
    default void unroutable() {
    }
}
