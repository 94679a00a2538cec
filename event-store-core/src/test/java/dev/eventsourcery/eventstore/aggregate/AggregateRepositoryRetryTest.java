package dev.eventsourcery.eventstore.aggregate;

import static dev.eventsourcery.eventstore.aggregate.Accounts.accounts;
import static dev.eventsourcery.eventstore.aggregate.Accounts.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.Accounts.Account;
import dev.eventsourcery.eventstore.aggregate.Accounts.Deposited;
import dev.eventsourcery.eventstore.aggregate.Accounts.Opened;

/** An update that lost a race with another writer decides again on the reloaded state, within limits. */
class AggregateRepositoryRetryTest {

    private final EventStore store = Accounts.inMemoryStore();
    private final AggregateType<Account> type = accounts().build();
    private final UUID id = UUID.randomUUID();
    private final StreamId stream = StreamId.of(id).withCategory("account");

    /** Deposits 10; on its first {@code interruptions} runs another writer deposits 1000 just before it appends. */
    private Command<Account> depositInterrupted(int interruptions, List<Account> seen) {
        AtomicInteger runs = new AtomicInteger();
        return account -> {
            seen.add(account);
            if (runs.incrementAndGet() <= interruptions) {
                store.appendEvents(stream, Versioning.ANY, new Deposited(1000));
            }
            return new Deposited(10);
        };
    }

    @Test
    void anUpdateThatLostARaceRunsAgainOnTheReloadedStateAndAppendsAfterTheOtherWriter() {
        AggregateRepository<Account> repository = AggregateRepository.of(store, type);
        repository.create(id, open("ada"));
        List<Account> seen = new ArrayList<>();

        Aggregate<Account> updated = repository.update(id, depositInterrupted(1, seen));

        assertThat(seen).containsExactly(new Account("ada", 0, 0), new Account("ada", 1000, 1));
        assertThat(updated).isEqualTo(new Aggregate<>(id, new Account("ada", 1010, 2), 3));
        assertThat(Accounts.events(store.loadStream(stream)))
                .containsExactly(new Opened("ada"), new Deposited(1000), new Deposited(10));
    }

    @Test
    void eachAttemptRunsInTheUnitOfWork() {
        RecordingUnitOfWork unitOfWork = new RecordingUnitOfWork(true);
        AggregateRepository<Account> repository = AggregateRepository.builder(store, type).unitOfWork(unitOfWork)
                .build();
        repository.create(id, open("ada"));

        repository.update(id, depositInterrupted(2, new ArrayList<>()));

        assertThat(unitOfWork.attempts).hasValue(1 + 3);
    }

    @Test
    void afterTheLastAttemptTheConflictPropagatesAndTheCommandsEventsAreNotAppended() {
        AggregateRepository<Account> repository = AggregateRepository.builder(store, type).maxAttempts(4).build();
        repository.create(id, open("ada"));
        List<Account> seen = new ArrayList<>();

        assertThatThrownBy(() -> repository.update(id, depositInterrupted(Integer.MAX_VALUE, seen)))
                .isInstanceOf(ConcurrentStreamWriteException.class);

        assertThat(seen).hasSize(4);
        assertThat(Accounts.events(store.loadStream(stream))).containsExactly(new Opened("ada"),
                new Deposited(1000), new Deposited(1000), new Deposited(1000), new Deposited(1000));
    }

    @Test
    void theDefaultIsThreeAttempts() {
        AggregateRepository<Account> repository = AggregateRepository.of(store, type);
        repository.create(id, open("ada"));
        List<Account> seen = new ArrayList<>();

        assertThatThrownBy(() -> repository.update(id, depositInterrupted(3, seen)))
                .isInstanceOf(ConcurrentStreamWriteException.class);
        assertThat(seen).hasSize(3);

        List<Account> again = new ArrayList<>();
        repository.update(id, depositInterrupted(2, again));
        assertThat(again).hasSize(3);
    }

    @Test
    void oneAttemptMeansNoRetry() {
        AggregateRepository<Account> repository = AggregateRepository.builder(store, type).maxAttempts(1).build();
        repository.create(id, open("ada"));
        List<Account> seen = new ArrayList<>();

        assertThatThrownBy(() -> repository.update(id, depositInterrupted(1, seen)))
                .isInstanceOf(ConcurrentStreamWriteException.class);

        assertThat(seen).hasSize(1);
    }

    @Test
    void aUnitOfWorkThatCannotRetryGetsTheFirstConflict() {
        RecordingUnitOfWork unitOfWork = new RecordingUnitOfWork(false);
        AggregateRepository<Account> repository = AggregateRepository.builder(store, type).unitOfWork(unitOfWork)
                .maxAttempts(10).build();
        repository.create(id, open("ada"));
        List<Account> seen = new ArrayList<>();

        assertThatThrownBy(() -> repository.update(id, depositInterrupted(1, seen)))
                .isInstanceOf(ConcurrentStreamWriteException.class);

        assertThat(seen).hasSize(1);
        assertThat(unitOfWork.attempts).hasValue(1 + 1);
    }

    @Test
    void aConflictTheCommandItselfThrowsIsNotRetried() {
        AggregateRepository<Account> repository = AggregateRepository.of(store, type);
        repository.create(id, open("ada"));
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> repository.update(id, account -> {
            runs.incrementAndGet();
            // another stream's append with a stale version: the command's own failure
            store.appendEvents(StreamId.random(), 5, new Deposited(1));
            return new Deposited(1);
        })).isInstanceOf(ConcurrentStreamWriteException.class);

        assertThat(runs).hasValue(1);
    }

    @Test
    void concurrentUpdatesOfOneAggregateAllCount() throws Exception {
        int threads = 2;
        int perThread = 250;
        // every failed attempt is another update's success: this many attempts always suffice
        AggregateRepository<Account> repository = AggregateRepository.builder(store, type)
                .maxAttempts(threads * perThread).build();
        repository.create(id, open("ada"));
        AtomicInteger runs = new AtomicInteger();
        CyclicBarrier bothLoaded = new CyclicBarrier(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(executor.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        boolean first = i == 0;
                        AtomicInteger attempt = new AtomicInteger();
                        repository.update(id, account -> {
                            runs.incrementAndGet();
                            if (first && attempt.incrementAndGet() == 1) {
                                // both first updates decide on the same version: one of them must run again
                                await(bothLoaded);
                            }
                            return new Deposited(1);
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }

        Aggregate<Account> loaded = repository.load(id);
        assertThat(loaded.state().balance()).isEqualTo(threads * perThread);
        assertThat(loaded.version()).isEqualTo(1 + threads * perThread);
        assertThat(runs.get()).isGreaterThan(threads * perThread);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
