package dev.eventsourcery.eventstore.aggregate;

import static dev.eventsourcery.eventstore.aggregate.Accounts.accounts;
import static dev.eventsourcery.eventstore.aggregate.Accounts.deposit;
import static dev.eventsourcery.eventstore.aggregate.Accounts.open;
import static dev.eventsourcery.eventstore.aggregate.Accounts.withdraw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.Accounts.Account;
import dev.eventsourcery.eventstore.aggregate.Accounts.Deposited;
import dev.eventsourcery.eventstore.aggregate.Accounts.InsufficientFunds;
import dev.eventsourcery.eventstore.aggregate.Accounts.Noted;
import dev.eventsourcery.eventstore.aggregate.Accounts.Opened;
import dev.eventsourcery.eventstore.aggregate.Accounts.Withdrawn;

/** Creating, changing, finding and loading aggregates, on the in-memory store. */
class AggregateRepositoryTest {

    private final EventStore store = Accounts.inMemoryStore();
    private final AggregateType<Account> type = accounts().build();
    private final AggregateRepository<Account> repository = AggregateRepository.of(store, type);
    private final UUID id = UUID.randomUUID();
    private final StreamId stream = StreamId.of(id).withCategory("account");

    @Test
    void createRunsTheCommandOnTheInitialStateAndAppendsToANewStreamOfTheTypesCategory() {
        Aggregate<Account> created = repository.create(id, open("ada"));

        assertThat(created).isEqualTo(new Aggregate<>(id, new Account("ada", 0, 0), 1));
        assertThat(store.loadStream(stream)).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo(new Opened("ada"));
            assertThat(event.version()).isEqualTo(1L);
        });
    }

    @Test
    void createOfAnExistingAggregateFailsAsTheStoreSaysAndIsNotRetried() {
        repository.create(id, open("ada"));
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> repository.create(id, account -> {
            runs.incrementAndGet();
            return new Opened("bob");
        })).isInstanceOf(ConcurrentStreamWriteException.class);

        assertThat(runs).hasValue(1);
        assertThat(Accounts.events(store.loadStream(stream))).containsExactly(new Opened("ada"));
    }

    @Test
    void createDecidingNothingAppendsNothingAndReturnsTheInitialStateAtVersionZero() {
        Aggregate<Account> created = repository.create(id, account -> List.of());

        assertThat(created).isEqualTo(new Aggregate<>(id, Account.NONE, 0));
        assertThat(store.loadStream(stream)).isEmpty();
        assertThat(repository.find(id)).isEmpty();
    }

    @Test
    void updateLoadsTheAggregateRunsTheCommandOnItsStateAndAppendsAtTheLoadedVersion() {
        repository.create(id, open("ada"));
        repository.update(id, deposit(100));

        Aggregate<Account> updated = repository.update(id, withdraw(30));

        assertThat(updated).isEqualTo(new Aggregate<>(id, new Account("ada", 70, 2), 3));
        assertThat(Accounts.events(store.loadStream(stream)))
                .containsExactly(new Opened("ada"), new Deposited(100), new Withdrawn(30));
        assertThat(store.loadStream(stream)).extracting(WrappedEvent::version).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aListOfEventsIsAppendedInItsOrderAndFoldedIntoTheState() {
        repository.create(id, account -> List.of(new Opened("ada"), new Deposited(5), new Deposited(7)));

        Aggregate<Account> updated = repository.update(id, account -> List.of(new Withdrawn(2), new Deposited(1)));

        assertThat(updated).isEqualTo(new Aggregate<>(id, new Account("ada", 11, 4), 5));
        assertThat(Accounts.events(store.loadStream(stream))).containsExactly(new Opened("ada"),
                new Deposited(5), new Deposited(7), new Withdrawn(2), new Deposited(1));
    }

    @Test
    void updateDecidingNothingAppendsNothingAndReturnsTheLoadedAggregate() {
        repository.create(id, open("ada"));
        repository.update(id, deposit(10));

        Aggregate<Account> unchanged = repository.update(id, account -> List.of());

        assertThat(unchanged).isEqualTo(new Aggregate<>(id, new Account("ada", 10, 1), 2));
        assertThat(store.loadStream(stream)).hasSize(2);
    }

    @Test
    void updateOfAnAggregateThatDoesNotExistFailsNamingItsTypeAndIdWithoutRunningTheCommand() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> repository.update(id, account -> {
            runs.incrementAndGet();
            return new Deposited(1);
        })).isInstanceOfSatisfying(AggregateNotFoundException.class, e -> {
            assertThat(e).isInstanceOf(EventStoreException.class)
                    .hasMessageContaining("account").hasMessageContaining(id.toString());
            assertThat(e.category()).isEqualTo("account");
            assertThat(e.id()).isEqualTo(id);
        });
        assertThat(runs).hasValue(0);
        assertThat(store.loadStream(stream)).isEmpty();
    }

    @Test
    void findAndLoadFoldTheStreamIntoTheStateAtItsVersion() {
        repository.create(id, open("ada"));
        store.append(stream, 1, List.of(WrappedEvent.wrap(new Deposited(40)), WrappedEvent.wrap(new Noted("x"))));

        assertThat(repository.find(id)).contains(new Aggregate<>(id, new Account("ada", 40, 1), 3));
        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Account("ada", 40, 1), 3));
    }

    @Test
    void findOfAnAggregateThatDoesNotExistIsEmptyAndLoadFails() {
        assertThat(repository.find(id)).isEmpty();
        assertThatThrownBy(() -> repository.load(id)).isInstanceOf(AggregateNotFoundException.class)
                .hasMessageContaining(id.toString());
    }

    @Test
    void aggregatesOfOneIdInTwoTypesAreTwoStreams() {
        AggregateRepository<Account> savings = AggregateRepository.of(store, AggregateType.builder("savings",
                Account.class).initialState(() -> Account.NONE)
                .on(Opened.class, (account, opened) -> new Account(opened.owner(), 0, 0)).build());
        repository.create(id, open("ada"));

        assertThat(savings.find(id)).isEmpty();
        savings.create(id, open("bob"));
        assertThat(repository.load(id).state().owner()).isEqualTo("ada");
        assertThat(savings.load(id).state().owner()).isEqualTo("bob");
    }

    @Test
    void aCommandsRefusalPropagatesAndAppendsNothing() {
        repository.create(id, open("ada"));

        assertThatThrownBy(() -> repository.update(id, withdraw(1))).isInstanceOf(InsufficientFunds.class);

        assertThat(store.loadStream(stream)).hasSize(1);
    }

    @Test
    void aNullDecisionFailsNamingTheAggregateAndAppendsNothing() {
        repository.create(id, open("ada"));

        assertThatThrownBy(() -> repository.update(id, account -> null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'account' " + id).hasMessageContaining("decided null");
        assertThatThrownBy(() -> repository.create(UUID.randomUUID(), account -> null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("decided null");
        assertThatThrownBy(() -> repository.update(id, account -> Arrays.asList(new Deposited(1), null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("null event");
        assertThat(store.loadStream(stream)).hasSize(1);
    }

    @Test
    void aDecisionThatCannotBeAnEventIsRefusedAndAppendsNothing() {
        repository.create(id, open("ada"));

        for (Object decided : List.of(Set.of(new Deposited(1)), Optional.of(new Deposited(1)),
                new Object[] {new Deposited(1)}, List.of(List.of(new Deposited(1))))) {
            assertThatThrownBy(() -> repository.update(id, account -> decided))
                    .as("deciding %s", decided)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'account' " + id);
        }
        assertThatThrownBy(() -> repository.update(id, account -> Stream.of(new Deposited(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.loadStream(stream)).hasSize(1);
    }

    @Test
    void aDecidedWrappedEventKeepsItsIdAndContext() {
        repository.create(id, open("ada"));
        UUID correlation = UUID.randomUUID();
        WrappedEvent<Deposited> decided = WrappedEvent.wrap(new Deposited(3), null,
                Context.empty().withCorrelationId(correlation));

        Aggregate<Account> updated = repository.update(id, account -> decided);

        assertThat(updated.state().balance()).isEqualTo(3);
        assertThat(store.loadStream(stream).get(1)).isEqualTo(decided.withVersion(2L));
    }

    @Test
    void aHandlerThatFailsLeavesNothingAppended() {
        AggregateRepository<Account> failing = AggregateRepository.of(store, AggregateType.builder("account",
                Account.class).initialState(() -> Account.NONE)
                .on(Opened.class, (account, opened) -> new Account(opened.owner(), 0, 0))
                .on(Deposited.class, (account, deposited) -> {
                    throw new IllegalStateException("handler bug");
                }).build());
        failing.create(id, open("ada"));

        assertThatThrownBy(() -> failing.update(id, deposit(1))).hasMessage("handler bug");

        assertThat(store.loadStream(stream)).hasSize(1);
    }

    @Test
    void aVersionlessStreamCannotHoldAnAggregate() {
        store.appendEvents(stream, Versioning.NO_VERSIONING, new Opened("ada"));

        assertThatThrownBy(() -> repository.find(id)).isInstanceOf(EventStoreException.class)
                .hasMessageContaining("versionless");
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        assertThatThrownBy(() -> repository.create(null, open("ada"))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("id");
        assertThatThrownBy(() -> repository.create(id, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("command");
        assertThatThrownBy(() -> repository.update(null, deposit(1))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("id");
        assertThatThrownBy(() -> repository.update(id, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("command");
        assertThatThrownBy(() -> repository.find(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> repository.load(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> repository.scopedForTenant((dev.eventsourcery.eventstore.TenantId) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theBuilderRefusesMissingPartsAndFewerThanOneAttempt() {
        assertThatThrownBy(() -> AggregateRepository.builder(null, type)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("store");
        assertThatThrownBy(() -> AggregateRepository.builder(store, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("type");
        assertThatThrownBy(() -> AggregateRepository.of(store, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AggregateRepository.builder(store, type).unitOfWork(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("unitOfWork");
        assertThatThrownBy(() -> AggregateRepository.builder(store, type).maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> AggregateRepository.builder(store, type).maxAttempts(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsAreThreeAttemptsAndTheDirectUnitOfWork() {
        assertThat(repository.maxAttempts()).isEqualTo(3);
        assertThat(repository.type()).isSameAs(type);
        assertThat(repository.toString()).contains("account", "UnitOfWork.direct()");
        assertThat(AggregateRepository.builder(store, type).maxAttempts(1).build().maxAttempts()).isEqualTo(1);
    }

    @Test
    void aggregateValuesAreChecked() {
        assertThatThrownBy(() -> new Aggregate<>(id, Account.NONE, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Aggregate<>(null, Account.NONE, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Aggregate<Account>(id, null, 0)).isInstanceOf(NullPointerException.class);
    }
}
