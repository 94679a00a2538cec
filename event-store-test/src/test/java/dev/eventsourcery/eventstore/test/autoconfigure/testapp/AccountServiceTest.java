package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import static dev.eventsourcery.eventstore.test.EventStoreAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.aggregate.Aggregate;
import dev.eventsourcery.eventstore.aggregate.AggregateRepository;
import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.spring.aggregate.AggregateRepositories;
import dev.eventsourcery.eventstore.spring.EventAppended;
import dev.eventsourcery.eventstore.spring.projection.Projections;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;
import dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest;

/**
 * The bank's account service in an {@link EventStoreTest}: on the in-memory store here, without a data source,
 * and, through the subclasses, on H2 and PostgreSQL with the same tests. Every test opens the same account: each
 * one starts with an empty store.
 */
@EventStoreTest
@Import({AccountService.class, Deposits.class})
class AccountServiceTest {

    static final StreamId ACCOUNT = StreamId.named("account-1");

    @Autowired
    ApplicationContext context;

    @Autowired
    EventStore store;

    @Autowired
    AccountService accounts;

    @Autowired
    Deposits deposits;

    @BeforeEach
    void forgetDeposits() {
        deposits.forget();
    }

    @Test
    void theStoreRunsOnTheTestsBackend() {
        assertBackend(context);
    }

    /** The in-memory backend: no data source at all. */
    void assertBackend(ApplicationContext context) {
        assertThat(context.getBeanProvider(DataSource.class).getIfAvailable()).isNull();
        assertThat(context.getBean(EventStorage.class)).isInstanceOf(InMemoryEventStorage.class);
    }

    @Test
    void eachTestStartsWithAnEmptyStore() {
        assertThat(store).logInAllTenants().isEmpty();
    }

    @Test
    void theServiceAppendsTheAccountsEvents() {
        accounts.open(ACCOUNT, "Ada");
        accounts.deposit(ACCOUNT, 100);
        accounts.deposit(ACCOUNT, 20);

        assertThat(store).stream(ACCOUNT)
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(100), new MoneyDeposited(20))
                .hasVersion(3);
        assertThat(accounts.balance(ACCOUNT)).isEqualTo(120);
    }

    @Test
    void listenersOfEventAppendedHearOfEveryDepositAsItIsAppended() {
        accounts.open(ACCOUNT, "Ada");
        accounts.deposit(ACCOUNT, 100);

        assertThat(deposits.heard()).singleElement().satisfies(deposit -> {
            assertThat(deposit.event()).isEqualTo(new MoneyDeposited(100));
            assertThat(deposit.streamId()).isEqualTo(ACCOUNT);
            assertThat(deposit.wrappedEvent().version()).isEqualTo(2L);
        });
    }

    @Test
    void theApplicationsTenantResolverChoosesTheTenant() {
        accounts.open(ACCOUNT, "Ada");
        accounts.deposit(ACCOUNT, 100);

        assertThat(store.scopedForTenant(BankTenant.BANK)).log()
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(100));
        assertThat(store.scopedForTenant()).log().isEmpty();
        assertThat(deposits.heard()).extracting(EventAppended::tenantId).containsExactly(BankTenant.BANK);
    }

    @Test
    void aFailedDepositAppendsNothing() {
        assertThatThrownBy(() -> accounts.deposit(ACCOUNT, 100)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store).stream(ACCOUNT).doesNotExist();
        assertThat(store).log().isEmpty();
        assertThat(deposits.heard()).isEmpty();
    }

    @Test
    void theSliceMakesAggregateRepositoriesOnTheStore() {
        AggregateType<Long> balances = AggregateType.builder("purse", Long.class)
                .initialState(() -> 0L)
                .on(MoneyDeposited.class, (balance, deposited) -> balance + deposited.amount())
                .build();
        AggregateRepository<Long> purses = context.getBean(AggregateRepositories.class).repository(balances);
        UUID id = UUID.randomUUID();

        purses.create(id, balance -> new MoneyDeposited(5));
        Aggregate<Long> updated = purses.update(id, balance -> new MoneyDeposited(balance * 2));

        assertThat(updated.state()).isEqualTo(15L);
        assertThat(store.scopedForTenant(BankTenant.BANK)).stream(balances.streamId(id))
                .containsExactly(new MoneyDeposited(5), new MoneyDeposited(10));
    }

    @Test
    void theSliceHoldsTheTenantResolverButNoBeanTheStoreDoesNotNeed() {
        assertThat(context.getBeanProvider(Statements.class).getIfAvailable()).isNull();
        assertThat(context.getBeanProvider(Projections.class).getIfAvailable()).isNull();
        assertThat(context.getBean(BankTenant.class)).isNotNull();
    }
}
