package dev.eventsourcery.eventstore.aggregate;

import static dev.eventsourcery.eventstore.aggregate.Accounts.accounts;
import static dev.eventsourcery.eventstore.aggregate.Accounts.deposit;
import static dev.eventsourcery.eventstore.aggregate.Accounts.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.IllegalTenantIdException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.aggregate.Accounts.Account;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/** Aggregates in tenants: each tenant's aggregate of one id is its own. */
class AggregateRepositoryTenancyTest {

    private final AtomicReference<TenantId> currentTenant = new AtomicReference<>(TenantId.DEFAULT);
    private final EventStore store = StorageEventStore.builder(new InMemoryEventStorage())
            .tenantResolver(currentTenant::get).build();
    private final AggregateType<Account> type = accounts().snapshots(SnapshotPolicy.everyEvents(2)).build();
    private final UUID id = UUID.randomUUID();
    private final StreamId stream = StreamId.of(id).withCategory("account");

    @Test
    void aRepositoryOnATenantScopedStoreWorksInThatTenantOnly() {
        AggregateRepository<Account> acme = AggregateRepository.of(store.scopedForTenant("acme"), type);
        AggregateRepository<Account> globex = AggregateRepository.of(store.scopedForTenant("globex"), type);

        acme.create(id, open("ada"));
        acme.update(id, deposit(5));
        assertThat(globex.find(id)).isEmpty();
        globex.create(id, open("bob"));

        assertThat(acme.load(id)).isEqualTo(new Aggregate<>(id, new Account("ada", 5, 1), 2));
        assertThat(globex.load(id)).isEqualTo(new Aggregate<>(id, new Account("bob", 0, 0), 1));
        assertThat(store.loadStream(stream)).isEmpty();
        assertThat(store.scopedForTenant("acme").loadStream(stream).get(0).event())
                .as("acme's snapshot, in acme").isEqualTo(new Account("ada", 5, 1));
    }

    @Test
    void overATenantAwareStoreEachCallWorksInTheTenantItsResolverReturns() {
        AggregateRepository<Account> repository = AggregateRepository.of(store, type);

        currentTenant.set(TenantId.of("acme"));
        repository.create(id, open("ada"));
        repository.update(id, deposit(10));
        currentTenant.set(TenantId.of("globex"));
        assertThat(repository.find(id)).isEmpty();
        assertThatThrownBy(() -> repository.update(id, deposit(1))).isInstanceOf(AggregateNotFoundException.class);
        repository.create(id, open("bob"));
        repository.update(id, deposit(1));
        repository.update(id, deposit(1));
        currentTenant.set(TenantId.DEFAULT);
        assertThat(repository.find(id)).isEmpty();

        currentTenant.set(TenantId.of("acme"));
        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Account("ada", 10, 1), 2));
        currentTenant.set(TenantId.of("globex"));
        assertThat(repository.load(id)).isEqualTo(new Aggregate<>(id, new Account("bob", 2, 2), 3));
        assertThat(store.scopedForTenant("acme").loadStream(stream).get(0).event()).isEqualTo(new Account("ada", 10, 1));
        assertThat(store.scopedForTenant("globex").loadStream(stream).get(0).event()).isEqualTo(new Account("bob", 1, 1));
    }

    @Test
    void scopedForTenantIsTheSameRepositoryInOneTenant() {
        AggregateRepository<Account> repository = AggregateRepository.builder(store, type).maxAttempts(7).build();

        AggregateRepository<Account> acme = repository.scopedForTenant("acme");
        acme.create(id, open("ada"));

        assertThat(acme.maxAttempts()).isEqualTo(7);
        assertThat(acme.type()).isSameAs(type);
        assertThat(repository.find(id)).isEmpty();
        assertThat(repository.scopedForTenant(TenantId.of("acme")).load(id).state().owner()).isEqualTo("ada");
        assertThat(AggregateRepository.of(store.scopedForTenant("acme"), type).load(id).version()).isEqualTo(1);
        assertThatThrownBy(() -> repository.scopedForTenant("not a tenant")).isInstanceOf(IllegalTenantIdException.class);
    }
}
