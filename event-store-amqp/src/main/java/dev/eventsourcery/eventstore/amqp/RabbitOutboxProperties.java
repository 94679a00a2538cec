package dev.eventsourcery.eventstore.amqp;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where and how the outbox publishes to RabbitMQ, under the prefix {@code event-store.outbox}; what it publishes
 * ({@code enabled}, {@code name}, the filters, {@code batch-size}) is configured there too, by the starter. The
 * broker is the one of {@code spring.rabbitmq.*}.
 */
@ConfigurationProperties("event-store.outbox")
public class RabbitOutboxProperties {

    /** Name of the exchange to publish to; required when the outbox is enabled. It must exist. */
    private @Nullable String exchange;

    /**
     * Routing key of each message: "type" (the event's stored type name), "category" (the stream's category),
     * "stream" (the stream's name, else its uuid), or a template of literal text and SpEL expressions on the
     * message, such as "#{category}.#{eventType}"; a text without expressions is the routing key of every event.
     * An OutboxRoutingKey bean overrides it.
     */
    private String routingKey = "type";

    /**
     * How long RabbitMQ has to confirm a whole batch before the outbox publishes it again. At most half of
     * event-store.projections.lease-timeout, or the application does not start: a batch waiting for confirms longer
     * than the outbox's lease lets another instance take the outbox over in the middle of it.
     */
    private Duration confirmTimeout = Duration.ofSeconds(5);

    /**
     * What to do with a message RabbitMQ returns because no queue is bound for it: "fail" publishes the batch
     * again with back-off until one is (the outbox never moves past it), "skip" logs a warning and moves on.
     * Both count it in eventstore.outbox.unroutable.
     */
    private UnroutablePolicy unroutable = UnroutablePolicy.FAIL;

    public @Nullable String getExchange() {
        return exchange;
    }

    public void setExchange(@Nullable String exchange) {
        this.exchange = exchange;
    }

    public String getRoutingKey() {
        return routingKey;
    }

    public void setRoutingKey(String routingKey) {
        this.routingKey = routingKey;
    }

    public Duration getConfirmTimeout() {
        return confirmTimeout;
    }

    public void setConfirmTimeout(Duration confirmTimeout) {
        this.confirmTimeout = confirmTimeout;
    }

    public UnroutablePolicy getUnroutable() {
        return unroutable;
    }

    public void setUnroutable(UnroutablePolicy unroutable) {
        this.unroutable = unroutable;
    }
}
