/**
 * A harness that measures the event store beside Axon Framework's JPA event storage engine and raw JDBC on
 * the same database (and, on request, beside the event store of an earlier build), then, as steps of their own
 * ({@code -Dbench.only=projection|outbox|aggregates}), a projection catching up (P1), the outbox publishing to
 * RabbitMQ (O1), and loads that upcast every event beside plain loads (S4 upcast) with commands through the
 * aggregate repository beside the same commands by hand (S9), and prints the figures and ratios: see
 * {@link dev.eventsourcery.eventstore.benchmarks.Benchmark}.
 */
@NullMarked
package dev.eventsourcery.eventstore.benchmarks;

import org.jspecify.annotations.NullMarked;
