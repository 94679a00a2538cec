/**
 * The outbox for RabbitMQ: {@link dev.eventsourcery.eventstore.amqp.RabbitOutboxPublisher} publishes the log's
 * events through Spring AMQP with publisher confirms and returns, so that the outbox's checkpoint moves only once
 * the broker has routed and taken every message; {@link dev.eventsourcery.eventstore.amqp.OutboxRoutingKey}
 * chooses each message's routing key. {@code EventStoreAmqpOutboxAutoConfiguration} sets both up from
 * {@code event-store.outbox.*}.
 */
@NullMarked
package dev.eventsourcery.eventstore.amqp;

import org.jspecify.annotations.NullMarked;
