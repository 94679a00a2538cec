package dev.eventsourcery.eventstore.spring.outbox;

import java.util.List;

/**
 * Hands the outbox's messages to a message broker: the one piece of the outbox that knows the broker. The
 * outbox calls it with each batch of the log's events, in log order, inside the transaction that then moves
 * its checkpoint past them; so the checkpoint moves only when {@code publish} returns, and a batch it throws on
 * is published again later, one event at a time from its first. Implementations must not return before the
 * broker has taken every message (RabbitMQ: a publisher confirm for each; Kafka: the acknowledgement of every
 * record; JMS: the send of a persistent message returned, or the commit of a transacted session), and must keep
 * each stream's order at the broker even when it refuses a message: a later message of a stream may reach the
 * broker only once it has taken the earlier ones of the stream, since a consumer that received the later one
 * would otherwise receive the earlier one after it when the batch is published again. Messages of different
 * streams may go in any order.
 *
 * <p>Declare one as a bean and set {@code event-store.outbox.enabled=true} to publish the log; the module
 * {@code event-store-amqp} declares one for RabbitMQ. It is called on the outbox's own thread, one call at a
 * time.
 */
@FunctionalInterface
public interface OutboxPublisher {

    /**
     * Publishes the messages, each stream's in their order, and returns once the broker has taken every one of
     * them.
     *
     * @param messages one batch of the log's events, in log order; never empty
     * @throws OutboxPublishException (or any other runtime exception) when the broker did not take every one;
     *     the outbox then publishes them again after a back-off, those the broker did take included
     */
    void publish(List<OutboxMessage> messages);
}
