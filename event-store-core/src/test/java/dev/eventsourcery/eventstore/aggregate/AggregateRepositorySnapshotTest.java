package dev.eventsourcery.eventstore.aggregate;

import static dev.eventsourcery.eventstore.aggregate.Accounts.accounts;
import static dev.eventsourcery.eventstore.aggregate.Accounts.deposit;
import static dev.eventsourcery.eventstore.aggregate.Accounts.open;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.Accounts.Account;
import dev.eventsourcery.eventstore.aggregate.Accounts.AccountSnapshot;
import dev.eventsourcery.eventstore.aggregate.Accounts.Deposited;

/** Loading from snapshots, and the snapshots the repository writes by the type's policy. */
class AggregateRepositorySnapshotTest {

    private final EventStore store = Accounts.inMemoryStore();
    private final UUID id = UUID.randomUUID();
    private final StreamId stream = StreamId.of(id).withCategory("account");

    private static AggregateType<Account> snapshotAsRecord(SnapshotPolicy<Account> policy) {
        return accounts().snapshots(policy)
                .snapshotAs(AccountSnapshot.class,
                        account -> new AccountSnapshot(account.owner(), account.balance(), account.movements()),
                        snapshot -> new Account(snapshot.holder(), snapshot.cents(), snapshot.count()))
                .build();
    }

    /** The entry a load starts with: the latest snapshot, when there is one. */
    private WrappedEvent<?> head() {
        return store.loadStream(stream).get(0);
    }

    @Test
    void aLoadStartsFromTheLatestSnapshotAndFoldsInTheEventsAfterIt() {
        AggregateRepository<Account> repository = AggregateRepository.of(store, accounts().build());
        repository.create(id, open("ada"));
        repository.update(id, deposit(1));
        repository.update(id, deposit(2));
        // a snapshot that is not what the events add up to shows that the load starts from it
        store.saveSnapshot(stream, WrappedEvent.wrap(new Account("snapshot", 500, 9), 2L));

        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Account("snapshot", 502, 10), 3));
    }

    @Test
    void aLoadStartsFromASnapshotOfTheSnapshotClassThroughItsFunction() {
        AggregateRepository<Account> repository = AggregateRepository.of(store, snapshotAsRecord(SnapshotPolicy.never()));
        repository.create(id, open("ada"));
        repository.update(id, deposit(1));
        store.saveSnapshot(stream, WrappedEvent.wrap(new AccountSnapshot("snapshot", 500, 9), 2L));
        repository.update(id, deposit(2));

        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Account("snapshot", 502, 10), 3));
    }

    @Test
    void everyEventsWritesASnapshotAtTheVersionTheCommandLeftOnceThatManyEventsFollowedTheLastOne() {
        AggregateRepository<Account> repository = AggregateRepository.of(store,
                accounts().snapshots(SnapshotPolicy.everyEvents(3)).build());
        repository.create(id, open("ada"));
        repository.update(id, deposit(1));
        assertThat(head().event()).isNotInstanceOf(Account.class);

        repository.update(id, deposit(2));
        assertThat(head()).satisfies(snapshot -> {
            assertThat(snapshot.event()).isEqualTo(new Account("ada", 3, 2));
            assertThat(snapshot.version()).isEqualTo(3L);
        });
        assertThat(store.loadStream(stream)).hasSize(1);

        // counted from the snapshot the aggregate was loaded from: two more events are not enough
        repository.update(id, deposit(3));
        repository.update(id, deposit(4));
        assertThat(head().version()).isEqualTo(3L);
        repository.update(id, deposit(5));
        assertThat(head()).satisfies(snapshot -> {
            assertThat(snapshot.event()).isEqualTo(new Account("ada", 15, 5));
            assertThat(snapshot.version()).isEqualTo(6L);
        });
        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Account("ada", 15, 5), 6));
    }

    @Test
    void severalEventsOfOneCommandCountTowardsTheNextSnapshot() {
        AggregateRepository<Account> repository = AggregateRepository.of(store,
                accounts().snapshots(SnapshotPolicy.everyEvents(3)).build());

        repository.create(id, account -> List.of(new Accounts.Opened("ada"), new Deposited(1), new Deposited(2)));

        assertThat(head().version()).isEqualTo(3L);
        assertThat(head().event()).isEqualTo(new Account("ada", 3, 2));
    }

    @Test
    void aPredicatePolicyIsAskedWithTheNewStateItsVersionAndTheEventsSinceTheLoadedSnapshot() {
        List<String> asked = new ArrayList<>();
        AggregateRepository<Account> repository = AggregateRepository.of(store, accounts()
                .snapshots((account, version, sinceSnapshot) -> {
                    asked.add(account.balance() + "@" + version + "+" + sinceSnapshot);
                    return account.balance() >= 100;
                }).build());
        repository.create(id, open("ada"));
        repository.update(id, deposit(60));
        repository.update(id, deposit(50));
        repository.update(id, deposit(1));
        repository.update(id, account -> List.of());

        assertThat(asked).containsExactly("0@1+1", "60@2+2", "110@3+3", "111@4+1");
        assertThat(head().event()).isEqualTo(new Account("ada", 111, 3));
        assertThat(head().version()).isEqualTo(4L);
    }

    @Test
    void snapshotAsStoresTheSnapshotClass() {
        AggregateRepository<Account> repository = AggregateRepository.of(store,
                snapshotAsRecord(SnapshotPolicy.everyEvents(2)));
        repository.create(id, open("ada"));

        repository.update(id, deposit(7));

        assertThat(head()).satisfies(snapshot -> {
            assertThat(snapshot.event()).isEqualTo(new AccountSnapshot("ada", 7, 1));
            assertThat(snapshot.version()).isEqualTo(2L);
        });
        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Account("ada", 7, 1), 2));
    }

    @Test
    void theSnapshotIsSavedOnlyWhenTheUnitOfWorkCommits() {
        RecordingUnitOfWork unitOfWork = new RecordingUnitOfWork(true);
        AggregateRepository<Account> repository = AggregateRepository.builder(store,
                accounts().snapshots(SnapshotPolicy.everyEvents(1)).build()).unitOfWork(unitOfWork).build();

        repository.create(id, open("ada"));

        assertThat(unitOfWork.pending()).isEqualTo(1);
        assertThat(head().event()).isNotInstanceOf(Account.class);
        unitOfWork.commit();
        assertThat(head().event()).isEqualTo(new Account("ada", 0, 0));
    }

    @Test
    void aSnapshotThatFailsToSaveDoesNotFailTheCommandAndIsLoggedAsAWarningNamingTheAggregateAndVersion() {
        SnapshotFailingStore failing = new SnapshotFailingStore(store);
        AggregateRepository<Account> repository = AggregateRepository.of(failing,
                accounts().snapshots(SnapshotPolicy.everyEvents(1)).build());
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(AggregateRepository.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        Aggregate<Account> created;
        Aggregate<Account> updated;
        try {
            created = repository.create(id, open("ada"));
            updated = repository.update(id, deposit(5));
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
        }

        assertThat(created.version()).isEqualTo(1);
        assertThat(updated).isEqualTo(new Aggregate<>(id, new Account("ada", 5, 1), 2));
        assertThat(failing.snapshotsTried).hasValue(2);
        assertThat(store.loadStream(stream)).hasSize(2);
        assertThat(repository.load(id)).isEqualTo(updated);
        assertThat(logged).hasSize(2).allSatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("'account' " + id);
            assertThat(record.getThrown()).hasMessage("the snapshot table is unavailable");
        });
        assertThat(logged.get(1).getMessage()).contains("version 2");
    }

    @Test
    void aSnapshotThatTheStoreRefusesDoesNotFailTheCommand() {
        AggregateRepository<Account> repository = AggregateRepository.of(store, accounts()
                .snapshots(SnapshotPolicy.everyEvents(1))
                .snapshotAs(Unserializable.class, account -> new Unserializable("x"), snapshot -> Account.NONE)
                .build());

        Aggregate<Account> created = repository.create(id, open("ada"));

        assertThat(created.version()).isEqualTo(1);
        assertThat(Accounts.events(store.loadStream(stream))).containsExactly(new Accounts.Opened("ada"));
    }

    /** A snapshot whose JSON cannot be written: reading its only property fails. */
    record Unserializable(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("cannot be read");
        }
    }

    @Test
    void aFailingPolicyOrConversionDoesNotFailTheCommand() {
        AtomicInteger asked = new AtomicInteger();
        AggregateRepository<Account> throwingPolicy = AggregateRepository.of(store, accounts()
                .snapshots((account, version, since) -> {
                    asked.incrementAndGet();
                    throw new IllegalStateException("policy bug");
                }).build());
        throwingPolicy.create(id, open("ada"));

        AggregateRepository<Account> throwingConversion = AggregateRepository.of(store, accounts()
                .snapshots(SnapshotPolicy.everyEvents(1))
                .snapshotAs(AccountSnapshot.class, account -> {
                    throw new IllegalStateException("conversion bug");
                }, snapshot -> Account.NONE)
                .build());
        Aggregate<Account> updated = throwingConversion.update(id, deposit(2));

        assertThat(asked).hasValue(1);
        assertThat(updated.version()).isEqualTo(2);
        assertThat(store.loadStream(stream)).hasSize(2);
    }

    @Test
    void aCommandDecidingNothingWritesNoSnapshot() {
        RecordingUnitOfWork unitOfWork = new RecordingUnitOfWork(true);
        AggregateRepository<Account> repository = AggregateRepository.builder(store,
                accounts().snapshots(SnapshotPolicy.everyEvents(1)).build()).unitOfWork(unitOfWork).build();
        store.appendEvents(stream, Versioning.expect(0), new Accounts.Opened("ada"));

        repository.update(id, account -> List.of());

        assertThat(unitOfWork.pending()).isZero();
    }
}
