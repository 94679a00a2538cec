/**
 * A harness that measures the event store beside Axon Framework's JPA event storage engine and raw JDBC on
 * the same database (and, on request, beside the event store of an earlier build), and prints the figures
 * and ratios: see {@link dev.eventsourcery.eventstore.benchmarks.Benchmark}.
 */
@NullMarked
package dev.eventsourcery.eventstore.benchmarks;

import org.jspecify.annotations.NullMarked;
