package dev.eventsourcery.eventstore.amqp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outbox's counters: {@code eventstore.outbox.published}, the messages RabbitMQ confirmed,
 * {@code eventstore.outbox.refused}, those it answered with a negative confirm, and
 * {@code eventstore.outbox.unroutable}, those it returned as unroutable (each attempt counts in the last two), all
 * tagged with the {@code exchange}.
 */
final class MicrometerPublishMeters implements PublishMeters {

    private final Counter published;
    private final Counter refused;
    private final Counter unroutable;

    MicrometerPublishMeters(MeterRegistry registry, String exchange) {
        this.published = Counter.builder("eventstore.outbox.published")
                .description("Messages of the event store's outbox that RabbitMQ confirmed")
                .tag("exchange", exchange).register(registry);
        this.refused = Counter.builder("eventstore.outbox.refused")
                .description("Messages of the event store's outbox that RabbitMQ refused with a negative confirm")
                .tag("exchange", exchange).register(registry);
        this.unroutable = Counter.builder("eventstore.outbox.unroutable")
                .description("Messages of the event store's outbox that RabbitMQ returned as unroutable")
                .tag("exchange", exchange).register(registry);
    }

    @Override
    public void confirmed(int messages) {
        published.increment(messages);
    }

    @Override
    public void refused() {
        refused.increment();
    }

    @Override
    public void unroutable() {
        unroutable.increment();
    }
}
