package dev.eventsourcery.eventstore.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
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
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.eventsourcery.eventstore.spring.outbox.OutboxMessage;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublishException;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher;

/**
 * Publishes the outbox's messages to a RabbitMQ exchange and returns only once the broker confirmed every one
 * of them: all of a batch are sent on one channel, in log order (RabbitMQ keeps the order of one channel's
 * messages in each queue), each with {@code mandatory} and a correlation, and then every publisher confirm is
 * awaited, up to the confirm time-out for the whole batch. A negative confirm, a channel or connection lost,
 * or a time-out fails the batch with an {@link OutboxPublishException}, and the outbox publishes it again. A
 * message that no queue receives is returned by the broker before its confirm: the {@link UnroutablePolicy}
 * says whether that fails the batch too or is logged and passed over.
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
        List<CorrelationData> confirms = new ArrayList<>(messages.size());
        try {
            template.invoke(operations -> {
                for (OutboxMessage message : messages) {
                    CorrelationData correlation = new CorrelationData();
                    operations.send(exchange, routingKey.routingKey(message), toAmqp(message), correlation);
                    confirms.add(correlation);
                }
                return null;
            });
        } catch (AmqpException e) {
            throw new OutboxPublishException("Could not publish " + messages.size() + " events to RabbitMQ exchange '"
                    + exchange + "' (from position " + messages.get(0).position() + "): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + confirmTimeout.toNanos();
        int confirmed = 0;
        try {
            for (int i = 0; i < messages.size(); i++) {
                awaitConfirm(messages.get(i), confirms.get(i), deadline);
                confirmed++;
            }
        } finally {
            meters.confirmed(confirmed);
        }
    }

    private void awaitConfirm(OutboxMessage message, CorrelationData correlation, long deadline) {
        CorrelationData.Confirm confirm;
        try {
            confirm = correlation.getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new OutboxPublishException("RabbitMQ did not confirm " + describe(message) + " within "
                    + confirmTimeout + " (event-store.outbox.confirm-timeout)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxPublishException("Interrupted while waiting for RabbitMQ to confirm " + describe(message),
                    e);
        } catch (ExecutionException e) {
            throw new OutboxPublishException("RabbitMQ did not confirm " + describe(message), e.getCause());
        }
        if (!confirm.ack()) {
            throw new OutboxPublishException("RabbitMQ refused " + describe(message) + " on exchange '" + exchange
                    + "': " + (confirm.reason() == null ? "a negative confirm" : confirm.reason()));
        }
        ReturnedMessage returned = correlation.getReturned();
        if (returned != null) {
            meters.unroutable();
            String problem = "RabbitMQ could not route " + describe(message) + " on exchange '" + exchange
                    + "' with routing key '" + returned.getRoutingKey() + "' (" + returned.getReplyCode() + " "
                    + returned.getReplyText() + "): no queue is bound for it";
            if (unroutable == UnroutablePolicy.FAIL) {
                throw new OutboxPublishException(problem + "; the outbox publishes it again until one is (or set "
                        + "event-store.outbox.unroutable=skip)");
            }
            logger.warn(problem + "; skipped it (event-store.outbox.unroutable=skip)");
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
