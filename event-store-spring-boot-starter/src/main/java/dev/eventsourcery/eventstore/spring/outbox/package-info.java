/**
 * The outbox: the log's events published to a message broker, at least once and each stream in order, by a
 * projection whose checkpoint moves only once the broker has the messages. The broker is reached through an
 * {@link dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher} (the module {@code event-store-amqp} has
 * one for RabbitMQ); {@link dev.eventsourcery.eventstore.spring.outbox.Outbox} declares the projection that
 * feeds it.
 */
@NullMarked
package dev.eventsourcery.eventstore.spring.outbox;

import org.jspecify.annotations.NullMarked;
