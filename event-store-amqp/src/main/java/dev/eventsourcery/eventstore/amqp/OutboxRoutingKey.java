package dev.eventsourcery.eventstore.amqp;

import java.util.Objects;

import dev.eventsourcery.eventstore.spring.outbox.OutboxMessage;

/**
 * The routing key an event is published with. {@code event-store.outbox.routing-key} chooses one of
 * {@link #of(String)}; declare a bean of this type to compute it in code instead.
 */
@FunctionalInterface
public interface OutboxRoutingKey {

    /** The routing key of the message; never {@code null}. */
    String routingKey(OutboxMessage message);

    /** The event's stored type name, such as {@code MoneyDeposited}. */
    static OutboxRoutingKey type() {
        return OutboxMessage::eventType;
    }

    /** The stream's category; the empty string for a stream without one. */
    static OutboxRoutingKey category() {
        return message -> Objects.requireNonNullElse(message.category(), "");
    }

    /** The stream's name, or its uuid for a stream without a name. */
    static OutboxRoutingKey stream() {
        return message -> message.streamName() != null ? message.streamName() : message.streamId().toString();
    }

    /**
     * The routing key a property value names: {@code type}, {@code category} or {@code stream} for those above;
     * anything else is a template, literal text with SpEL expressions in {@code #{...}} evaluated on the
     * {@link OutboxMessage} — {@code #{category}.#{eventType}}, {@code #{tenant ?: 'default'}.#{eventType}} —
     * or, without any, a routing key that is the same for every event ({@code events}, or the empty string for
     * a fanout exchange). A {@code null} part is written as the empty string.
     *
     * @throws IllegalArgumentException when the template is not valid SpEL
     */
    static OutboxRoutingKey of(String value) {
        Objects.requireNonNull(value, "value");
        return switch (value.trim()) {
            case "type" -> type();
            case "category" -> category();
            case "stream" -> stream();
            default -> RoutingKeyTemplate.parse(value);
        };
    }
}
