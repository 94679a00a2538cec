package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.Aggregate;
import dev.eventsourcery.eventstore.aggregate.AggregateRepository;
import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.aggregate.Command;
import dev.eventsourcery.eventstore.aggregate.SnapshotPolicy;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.Tally;

/** Aggregate repositories on the backend: snapshots, retried concurrent updates, tenants. */
public interface AggregateRepositoryContract extends ContractFixture {

    /** Writers of one aggregate in the concurrency test. */
    int AGGREGATE_WRITERS = 4;

    /** Updates per writer in the concurrency test. */
    int UPDATES_PER_WRITER = 25;

    /** A tally of numbers whose state is its own snapshot, written every {@code snapshotEvery} events. */
    private static AggregateType<Tally> tallies(int snapshotEvery) {
        return AggregateType.builder("tally", Tally.class)
                .initialState(() -> new Tally(0, 0))
                .on(NumberAdded.class, (tally, added) -> new Tally(tally.sum() + added.value(), tally.count() + 1))
                .snapshots(SnapshotPolicy.everyEvents(snapshotEvery))
                .build();
    }

    private static Command<Tally> add(int value) {
        return tally -> new NumberAdded(value);
    }

    @Test
    default void aggregatesAreCreatedUpdatedAndLoadedFromTheirLatestSnapshotThenTheEventsAfterIt() {
        AggregateRepository<Tally> repository = AggregateRepository.of(store(), tallies(3));
        UUID id = UUID.randomUUID();
        StreamId stream = StreamId.of(id).withCategory("tally");

        repository.create(id, tally -> List.of(new NumberAdded(1), new NumberAdded(2)));
        repository.update(id, add(3));
        repository.update(id, add(4));
        Aggregate<Tally> updated = repository.update(id, add(5));

        assertThat(updated).isEqualTo(new Aggregate<>(id, new Tally(15, 5), 5));
        List<WrappedEvent<?>> loaded = store().loadStream(stream);
        assertThat(loaded.get(0).event()).isEqualTo(new Tally(6, 3));
        assertThat(loaded.get(0).version()).isEqualTo(3L);
        assertThat(versionsOf(loaded)).containsExactly(3L, 4L, 5L);
        assertThat(repository.load(id)).isEqualTo(updated);

        // a snapshot unlike the events proves that the load starts from the latest one
        store().saveSnapshot(stream, WrappedEvent.wrap(new Tally(1000, 1), 4L));
        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Tally(1005, 2), 5));
        assertThat(repository.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    default void concurrentUpdatesOfOneAggregateAreRetriedUntilEveryOneCounts() throws Exception {
        int total = AGGREGATE_WRITERS * UPDATES_PER_WRITER;
        // every failed attempt is another update's success: this many attempts always suffice
        AggregateRepository<Tally> repository = AggregateRepository.builder(store(), tallies(10))
                .maxAttempts(total).build();
        UUID id = UUID.randomUUID();
        repository.create(id, add(0));
        CyclicBarrier start = new CyclicBarrier(AGGREGATE_WRITERS);
        ExecutorService executor = Executors.newFixedThreadPool(AGGREGATE_WRITERS);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < AGGREGATE_WRITERS; w++) {
                writers.add(executor.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < UPDATES_PER_WRITER; i++) {
                        repository.update(id, add(1));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Tally(total, total + 1), total + 1));
    }

    @Test
    default void eachTenantHasItsOwnAggregateOfAnId() {
        AtomicReference<TenantId> current = new AtomicReference<>(TenantId.of("acme"));
        EventStore resolving = storeWith(current::get);
        AggregateRepository<Tally> repository = AggregateRepository.of(resolving, tallies(2));
        UUID id = UUID.randomUUID();

        repository.create(id, add(1));
        repository.update(id, add(2));
        current.set(TenantId.of("globex"));
        assertThat(repository.find(id)).isEmpty();
        repository.create(id, add(10));
        current.set(TenantId.DEFAULT);
        assertThat(repository.find(id)).isEmpty();

        assertThat(repository.scopedForTenant("acme").load(id)).isEqualTo(new Aggregate<>(id, new Tally(3, 2), 2));
        assertThat(AggregateRepository.of(store().scopedForTenant("globex"), tallies(2)).load(id))
                .isEqualTo(new Aggregate<>(id, new Tally(10, 1), 1));
        StreamId stream = StreamId.of(id).withCategory("tally");
        assertThat(store().scopedForTenant("acme").loadStream(stream)).singleElement()
                .satisfies(snapshot -> assertThat(snapshot.event()).isEqualTo(new Tally(3, 2)));
        assertThat(store().loadStream(stream)).isEmpty();
    }
}
