package dev.eventsourcery.sample.bank.account;

import static dev.eventsourcery.eventstore.test.EventStoreAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.aggregate.Aggregate;
import dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest;
import dev.eventsourcery.sample.bank.BankProperties;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountOpened;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountSnapshot;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyDeposited;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyWithdrawn;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferReceived;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferSent;

/**
 * The account service on the event store alone, in memory: what each command stores, the snapshots the
 * policy takes ({@code bank.snapshot-every}, 5 in application.yml), and transfers. {@link AccountServiceOnH2Test}
 * runs the same tests on the starter's JPA store.
 */
@EventStoreTest
@Import({AccountService.class, AccountUpcasters.class})
@EnableConfigurationProperties(BankProperties.class)
class AccountServiceTest {

    @Autowired
    EventStore store;

    @Autowired
    AccountService accounts;

    @Test
    void commandsAppendWhatTheAccountDecided() {
        UUID id = accounts.open("Ada").id();
        accounts.deposit(id, new BigDecimal("100.00"));
        Aggregate<Account> after = accounts.withdraw(id, new BigDecimal("30.00"));

        assertThat(after.version()).isEqualTo(3);
        assertThat(after.state().balance()).isEqualByComparingTo("70.00");
        assertThat(store).stream(stream(id)).containsExactly(new AccountOpened("Ada"),
                new MoneyDeposited(new BigDecimal("100.00"), "EUR"), new MoneyWithdrawn(new BigDecimal("30.00")));
    }

    @Test
    void aSnapshotFollowsEveryFifthEventAndTheAccountLoadsFromIt() {
        UUID id = accounts.open("Ada").id();
        for (int i = 1; i <= 5; i++) {
            accounts.deposit(id, BigDecimal.valueOf(i));
        }

        assertThat(store).stream(stream(id)).hasVersion(6).hasSnapshotAtVersion(5)
                .snapshot().isEqualTo(new AccountSnapshot("Ada", new BigDecimal("10.00")));
        assertThat(accounts.history(id)).hasSize(2);
        assertThat(accounts.account(id).state().balance()).isEqualByComparingTo("15");
    }

    @Test
    void aTransferChangesBothAccountsAndARefusedOneNeither() {
        UUID ada = accounts.open("Ada").id();
        UUID bob = accounts.open("Bob").id();
        accounts.deposit(ada, new BigDecimal("50.00"));

        accounts.transfer(ada, bob, new BigDecimal("20.00"));
        assertThatThrownBy(() -> accounts.transfer(bob, ada, new BigDecimal("20.01")))
                .isInstanceOf(InsufficientFundsException.class);

        assertThat(store).stream(stream(ada)).last().isInstanceOf(TransferSent.class);
        assertThat(store).stream(stream(bob)).hasVersion(2).last().isInstanceOf(TransferReceived.class);
        assertThat(accounts.account(bob).state().balance()).isEqualByComparingTo("20.00");
    }

    @Test
    void anUnknownAccountIsNotFoundAndNothingIsStored() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> accounts.deposit(id, BigDecimal.TEN)).isInstanceOf(AccountNotFoundException.class);
        assertThatThrownBy(() -> accounts.transfer(id, UUID.randomUUID(), BigDecimal.TEN))
                .isInstanceOf(AccountNotFoundException.class);
        assertThat(store).log().isEmpty();
    }

    static StreamId stream(UUID id) {
        return StreamId.of(id).withCategory("account");
    }
}
