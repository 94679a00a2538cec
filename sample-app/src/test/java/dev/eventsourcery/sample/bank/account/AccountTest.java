package dev.eventsourcery.sample.bank.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.aggregate.SnapshotPolicy;
import dev.eventsourcery.eventstore.test.AggregateFixture;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountOpened;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyDeposited;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyWithdrawn;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferReceived;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferSent;

/** The account's commands, given its past events: what each decides, or why it refuses. No store, no Spring. */
class AccountTest {

    private static final UUID ID = UUID.randomUUID();

    private final AggregateFixture<Account> accounts = AggregateFixture.of(Account.type(SnapshotPolicy.never()));

    @Test
    void anAccountIsOpenedForItsOwnerWithAZeroBalance() {
        accounts.givenNothing()
                .when(account -> account.open("Ada"))
                .thenEvents(new AccountOpened("Ada"))
                .thenState(account -> assertThat(account).isEqualTo(new Account("Ada", new BigDecimal("0.00"))));
    }

    @Test
    void anOpenAccountIsNotOpenedTwice() {
        accounts.given(new AccountOpened("Ada"))
                .when(account -> account.open("Eve"))
                .thenThrows(IllegalStateException.class)
                .hasMessageContaining("already open");
    }

    @Test
    void aDepositIsInTheBanksCurrency() {
        accounts.given(new AccountOpened("Ada"))
                .when(account -> account.deposit(new BigDecimal("12.50")))
                .thenEvents(new MoneyDeposited(new BigDecimal("12.50"), "EUR"))
                .thenState(account -> assertThat(account.balance()).isEqualByComparingTo("12.50"));
    }

    @Test
    void aWithdrawalTakesWhatTheBalanceCovers() {
        accounts.given(new AccountOpened("Ada"), new MoneyDeposited(new BigDecimal("100.00"), "EUR"),
                        new TransferReceived(UUID.randomUUID(), UUID.randomUUID(), new BigDecimal("5.00")))
                .when(account -> account.withdraw(ID, new BigDecimal("105.00")))
                .thenEvents(new MoneyWithdrawn(new BigDecimal("105.00")))
                .thenState(account -> assertThat(account.balance()).isEqualByComparingTo("0"));
    }

    @Test
    void aWithdrawalOrTransferBeyondTheBalanceIsRefused() {
        accounts.given(new AccountOpened("Ada"), new MoneyDeposited(new BigDecimal("10.00"), "EUR"),
                        new MoneyWithdrawn(new BigDecimal("4.00")))
                .when(account -> account.withdraw(ID, new BigDecimal("6.01")))
                .thenThrows(InsufficientFundsException.class)
                .hasMessage("Account " + ID + " has a balance of 6.00, which does not cover 6.01");
        accounts.given(new AccountOpened("Ada"))
                .when(account -> account.send(ID, UUID.randomUUID(), UUID.randomUUID(), BigDecimal.ONE))
                .thenThrows(InsufficientFundsException.class);
    }

    @Test
    void aTransferIsSentFromOneAccountAndReceivedByTheOther() {
        UUID transfer = UUID.randomUUID();
        UUID to = UUID.randomUUID();
        accounts.given(new AccountOpened("Ada"), new MoneyDeposited(new BigDecimal("50.00"), "EUR"))
                .when(account -> account.send(ID, transfer, to, new BigDecimal("20.00")))
                .thenEvents(new TransferSent(transfer, to, new BigDecimal("20.00")))
                .thenState(account -> assertThat(account.balance()).isEqualByComparingTo("30"));
        accounts.given(new AccountOpened("Bob"))
                .when(account -> account.receive(transfer, ID, new BigDecimal("20.00")))
                .thenEvents(new TransferReceived(transfer, ID, new BigDecimal("20.00")));
    }
}
