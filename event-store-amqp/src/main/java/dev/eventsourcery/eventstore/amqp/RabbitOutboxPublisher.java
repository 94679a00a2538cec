package dev.eventsourcery.eventstore.amqp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.eventsourcery.eventstore.spring.outbox.OutboxMessage;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublishException;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher;

/**
 * Publishes the outbox's messages to a RabbitMQ exchange and returns only once the broker confirmed every one
 * of them. A batch is sent on one channel, each message with {@code mandatory} and a correlation, and the confirms
 * are checked as they arrive, the confirm time-out bounding the whole batch. A stream has at most one message
 * awaiting its confirm: its next message is held back until the broker confirmed that one, while the later
 * messages of other streams go ahead. A negative confirm, a channel or connection lost, or a time-out fails the
 * batch with an {@link OutboxPublishException}: nothing more of it is sent, and the outbox publishes it again. A
 * message that no queue receives is returned by the broker before its confirm: the {@link UnroutablePolicy} says
 * whether that fails the batch too or is logged and passed over.
 *
 * <p>What a queue's consumer receives (RabbitMQ's own redeliveries to it aside):
 *
 * <ul>
 * <li><b>Each stream in order, always.</b> The first copy of an event arrives after the first copies of all the
 * events before it in its stream that the queue receives: in version order (append order in a versionless
 * stream). No refusal, return, time-out, lost connection, retry or take-over changes that: what arrives out of
 * place is only ever a second copy of an event received before.</li>
 * <li><b>Duplicates only after a fault.</b> The outbox publishes a failed batch again one event at a time from its
 * first, so the messages of it that the broker had taken arrive again: those sent before the failing message was
 * found out, of its own stream and of others (a message one queue refused may have reached another, which
 * receives it again too). A batch the broker took but whose checkpoint could not be moved (the database failed,
 * the lease was lost) is published again as well. Consumers de-duplicate on the message id.</li>
 * <li><b>No order across streams.</b> Different streams' messages are sent in log order as far as their streams
 * allow: one held back behind its stream's previous message arrives after later messages of other streams, and
 * so does one that failed and is published again.</li>
 * </ul>
 *
 * <p>Why a stream's next message waits for the confirm of the one before: RabbitMQ may refuse a message and take
 * the next one of the same channel (a queue with {@code x-overflow: reject-publish} that its consumer drained in
 * between; a message returned as unroutable while the next, with another routing key, reaches a queue that is
 * later bound for both), and a consumer that received the later message cannot give it back: sending the refused
 * one again, however the retry is arranged, puts it after its successor. Waiting makes a refusal stop the stream
 * at the refused message. The price is a confirm round trip between consecutive messages of one stream (for
 * persistent messages in a durable queue, the broker's write to disk), which no publisher keeping each stream's
 * order under refusals avoids: a batch of one stream's events goes one message at a time (the worst case, which
 * the README's benchmark O1 measures). Sending the other streams' messages ahead, rather than all in log order,
 * keeps the rest pipelined: a stream's wait holds up only that stream, so a batch of many streams, or of short
 * runs of each, loses little.
 *
 * <p>Each message carries the event's JSON as its body and its envelope as properties and headers:
 *
 * <table>
 * <caption>The message</caption>
 * <tr><th>where</th><th>what</th></tr>
 * <tr><td>body</td><td>the event's JSON, UTF-8</td></tr>
 * <tr><td>{@code message_id}</td><td>the event's id: consumers de-duplicate on it</td></tr>
 * <tr><td>{@code content_type}, {@code content_encoding}</td><td>{@code application/json}, {@code UTF-8}</td></tr>
 * <tr><td>{@code type}</td><td>the event's stored type name</td></tr>
 * <tr><td>{@code timestamp}</td><td>when the event was created (to the second, as AMQP has it)</td></tr>
 * <tr><td>{@code delivery_mode}</td><td>persistent</td></tr>
 * <tr><td>headers</td><td>{@code event-id}, {@code event-type}, {@code stream-id}, {@code stream-name},
 * {@code category}, {@code tenant}, {@code version} (a long), {@code position} (a long), {@code created-at}
 * (ISO-8601, to the microsecond), {@code correlation-id}, {@code causation-id}; each left out when the event has
 * none ({@code tenant} for the default tenant)</td></tr>
 * </table>
 */
public final class RabbitOutboxPublisher implements OutboxPublisher {

    private static final Log logger = LogFactory.getLog(RabbitOutboxPublisher.class);

    private final RabbitTemplate template;
    private final String exchange;
    private final OutboxRoutingKey routingKey;
    private final Duration confirmTimeout;
    private final UnroutablePolicy unroutable;
    private final PublishMeters meters;
    /** Whether the exchange was found to exist, and no batch failed since. */
    private volatile boolean exchangeChecked;

    /**
     * A publisher to one exchange.
     *
     * @param connectionFactory the connection factory to publish through, with publisher confirms of type
     *     {@code CORRELATED} and publisher returns on; best one of the outbox's own, as the auto-configuration
     *     makes, so that the application's other senders and listeners are not slowed by the outbox or the
     *     other way round
     * @param exchange the exchange to publish to; the empty string for the default exchange
     * @param routingKey the routing key of each message
     * @param confirmTimeout how long the broker has to confirm a whole batch
     * @param unroutable what to do with a message the broker returns as unroutable
     * @throws IllegalArgumentException when the connection factory has no correlated confirms or no returns,
     *     or the time-out is not positive
     */
    public RabbitOutboxPublisher(ConnectionFactory connectionFactory, String exchange, OutboxRoutingKey routingKey,
            Duration confirmTimeout, UnroutablePolicy unroutable) {
        this(connectionFactory, exchange, routingKey, confirmTimeout, unroutable, PublishMeters.NONE);
    }

    RabbitOutboxPublisher(ConnectionFactory connectionFactory, String exchange, OutboxRoutingKey routingKey,
            Duration confirmTimeout, UnroutablePolicy unroutable, PublishMeters meters) {
        Objects.requireNonNull(connectionFactory, "connectionFactory");
        if (!connectionFactory.isPublisherConfirms() || !connectionFactory.isPublisherReturns()) {
            throw new IllegalArgumentException("The outbox publishes through a connection factory with publisher "
                    + "confirms of type CORRELATED and publisher returns (CachingConnectionFactory."
                    + "setPublisherConfirmType(CORRELATED), setPublisherReturns(true)), so that it knows when "
                    + "RabbitMQ has each message; " + connectionFactory + " has "
                    + (connectionFactory.isPublisherConfirms() ? "no returns" : "no correlated confirms"));
        }
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.routingKey = Objects.requireNonNull(routingKey, "routingKey");
        this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
        if (confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new IllegalArgumentException("The confirm time-out must be positive, got " + confirmTimeout);
        }
        this.unroutable = Objects.requireNonNull(unroutable, "unroutable");
        this.meters = meters;
        this.template = new RabbitTemplate(connectionFactory);
        template.setMandatory(true);
        // the returned message reaches the publish through its correlation; this only keeps the template quiet
        template.setReturnsCallback(returned -> {
        });
    }

    /** The exchange the messages go to. */
    public String exchange() {
        return exchange;
    }

    @Override
    public void publish(List<OutboxMessage> messages) {
        boolean published = false;
        try {
            checkExchange();
            send(messages);
            published = true;
        } finally {
            exchangeChecked = published;
        }
    }

    /**
     * Makes sure the exchange exists before the first batch and after a failed one: the broker answers a
     * message to a missing exchange by closing the channel, which says less, and after the messages were sent.
     */
    private void checkExchange() {
        if (exchangeChecked || exchange.isEmpty()) {
            return;
        }
        try {
            template.execute(channel -> channel.exchangeDeclarePassive(exchange));
        } catch (AmqpException e) {
            throw new OutboxPublishException("Could not publish to RabbitMQ exchange '" + exchange + "': "
                    + (notFound(e) ? "it does not exist (event-store.outbox.exchange)" : e.getMessage()), e);
        }
    }

    /** Whether the broker answered 404: the passive declaration found no such exchange. */
    private static boolean notFound(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException shutdown
                    && shutdown.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.NOT_FOUND) {
                return true;
            }
        }
        return false;
    }

    private void send(List<OutboxMessage> messages) {
        Batch batch = new Batch(messages);
        try {
            template.invoke(operations -> {
                batch.send(operations);
                return null;
            });
        } catch (AmqpException e) {
            throw new OutboxPublishException("Could not publish " + messages.size() + " events to RabbitMQ exchange '"
                    + exchange + "' (from position " + messages.get(0).position() + "): " + e.getMessage(), e);
        } finally {
            meters.confirmed(batch.confirmed);
        }
    }

    /** A stream as the log tells it apart: its uuid and category, in its tenant. */
    private record Stream(@Nullable String tenant, @Nullable String category, UUID id) {

        static Stream of(OutboxMessage message) {
            return new Stream(message.tenant(), message.category(), message.streamId());
        }
    }

    /** A message sent, and the correlation its confirm arrives on. */
    private record Sent(OutboxMessage message, Stream stream, CorrelationData correlation) {
    }

    /**
     * One batch on its way to the broker, on one channel: a message goes once the broker confirmed the message of
     * its stream sent before it, the later messages of other streams going ahead of it meanwhile; nothing goes
     * after the first message the broker did not take.
     */
    private final class Batch {

        private final List<OutboxMessage> messages;
        private final long deadline;
        /** The messages sent whose confirm is not checked yet, in the order sent. */
        private final Deque<Sent> unconfirmed = new ArrayDeque<>();
        /** The streams of those messages: each has one at most. */
        private final Set<Stream> inFlight = new HashSet<>();
        /** The messages of the streams in flight that wait for their turn, each stream's in log order. */
        private final Map<Stream, Deque<OutboxMessage>> heldBack = new HashMap<>();
        private int confirmed;

        Batch(List<OutboxMessage> messages) {
            this.messages = messages;
            this.deadline = System.nanoTime() + confirmTimeout.toNanos();
        }

        /** Sends the messages and checks every confirm; throws at the first message the broker did not take. */
        void send(RabbitOperations operations) {
            for (OutboxMessage message : messages) {
                // a failure seen early ends the batch early: what is sent after it arrives twice
                checkArrived(operations);
                Stream stream = Stream.of(message);
                Deque<OutboxMessage> held = heldBack.get(stream);
                if (held != null) {
                    held.addLast(message);
                } else if (inFlight.contains(stream)) {
                    heldBack.computeIfAbsent(stream, key -> new ArrayDeque<>()).addLast(message);
                } else {
                    sendNow(operations, message, stream);
                }
            }
            while (!unconfirmed.isEmpty()) {
                Sent sent = unconfirmed.removeFirst();
                check(sent);
                sendNextOf(operations, sent.stream());
                checkArrived(operations);
            }
        }

        private void sendNow(RabbitOperations operations, OutboxMessage message, Stream stream) {
            CorrelationData correlation = new CorrelationData();
            operations.send(exchange, routingKey.routingKey(message), toAmqp(message), correlation);
            Sent sent = new Sent(message, stream, correlation);
            unconfirmed.addLast(sent);
            inFlight.add(stream);
        }

        /**
         * Checks the confirms that have arrived, in the order sent, up to the first that has not, sending the next
         * message of each confirmed one's stream.
         */
        private void checkArrived(RabbitOperations operations) {
            while (!unconfirmed.isEmpty() && unconfirmed.getFirst().correlation().getFuture().isDone()) {
                Sent sent = unconfirmed.removeFirst();
                check(sent);
                sendNextOf(operations, sent.stream());
            }
        }

        /**
         * Sends the next held-back message of a stream whose message in flight the broker took: only now, because
         * a consumer cannot give back what it received, so a later message of a stream must never reach a queue
         * while an earlier one may still be refused.
         */
        private void sendNextOf(RabbitOperations operations, Stream stream) {
            inFlight.remove(stream);
            Deque<OutboxMessage> held = heldBack.get(stream);
            if (held == null) {
                return;
            }
            OutboxMessage next = held.removeFirst();
            if (held.isEmpty()) {
                heldBack.remove(stream);
            }
            sendNow(operations, next, stream);
        }

        /** Waits for a message's confirm and throws unless the broker took it (or skipped it as unroutable). */
        private void check(Sent sent) {
            OutboxMessage message = sent.message();
            CorrelationData.Confirm confirm;
            try {
                confirm = sent.correlation().getFuture().get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new OutboxPublishException("RabbitMQ did not confirm " + describe(message) + " within "
                        + confirmTimeout + " (event-store.outbox.confirm-timeout)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutboxPublishException("Interrupted while waiting for RabbitMQ to confirm "
                        + describe(message), e);
            } catch (ExecutionException e) {
                throw new OutboxPublishException("RabbitMQ did not confirm " + describe(message), e.getCause());
            }
            if (!confirm.ack()) {
                // Spring AMQP gives a reason only to the negative confirms it makes up for the messages of a
                // channel that closed; RabbitMQ's own carry none
                if (confirm.reason() == null) {
                    meters.refused();
                }
                throw new OutboxPublishException("RabbitMQ refused " + describe(message) + " on exchange '"
                        + exchange + "': " + (confirm.reason() == null ? "a negative confirm" : confirm.reason()));
            }
            ReturnedMessage returned = sent.correlation().getReturned();
            if (returned != null) {
                meters.unroutable();
                String problem = "RabbitMQ could not route " + describe(message) + " on exchange '" + exchange
                        + "' with routing key '" + returned.getRoutingKey() + "' (" + returned.getReplyCode() + " "
                        + returned.getReplyText() + "): no queue is bound for it";
                if (unroutable == UnroutablePolicy.FAIL) {
                    throw new OutboxPublishException(problem + "; the outbox publishes it again until one is (or "
                            + "set event-store.outbox.unroutable=skip)");
                }
                logger.warn(problem + "; skipped it (event-store.outbox.unroutable=skip)");
            }
            confirmed++;
        }
    }

    private static String describe(OutboxMessage message) {
        return "the message of event " + message.eventId() + " (" + message.eventType() + ", position "
                + message.position() + ")";
    }

    /** The AMQP message of an event: its JSON as the body, its envelope as properties and headers. */
    static Message toAmqp(OutboxMessage message) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(message.eventId().toString());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding("UTF-8");
        properties.setType(message.eventType());
        properties.setTimestamp(Date.from(message.createdAt()));
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        header(properties, "event-id", message.eventId());
        header(properties, "event-type", message.eventType());
        header(properties, "stream-id", message.streamId());
        header(properties, "stream-name", message.streamName());
        header(properties, "category", message.category());
        header(properties, "tenant", message.tenant());
        if (message.version() != null) {
            properties.setHeader("version", message.version());
        }
        properties.setHeader("position", message.position());
        header(properties, "created-at", message.createdAt());
        header(properties, "correlation-id", message.correlationId());
        header(properties, "causation-id", message.causationId());
        return new Message(message.payloadBytes(), properties);
    }

    private static void header(MessageProperties properties, String name, @Nullable Object value) {
        if (value != null) {
            properties.setHeader(name, value.toString());
        }
    }

    @Override
    public String toString() {
        return "RabbitMQ exchange '" + exchange + "'";
    }
}
