package dev.eventsourcery.sample.bank.account;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.sample.bank.BankProperties;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountOpened;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyDeposited;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyWithdrawn;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferReceived;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferSent;

/**
 * Opens accounts and moves money. Each command loads the account, decides, and appends with the
 * version it loaded as the expected version: a concurrent change in between makes the append fail with
 * {@link dev.eventsourcery.eventstore.ConcurrentStreamWriteException} instead of losing an update.
 * The injected {@link EventStore} works in the tenant of the current request.
 */
@Service
public class AccountService {

    private static final String CATEGORY = "account";

    private final EventStore eventStore;
    private final int snapshotEvery;

    public AccountService(EventStore eventStore, BankProperties properties) {
        this.eventStore = eventStore;
        this.snapshotEvery = properties.snapshotEvery();
    }

    @Transactional
    public Account open(String owner) {
        UUID id = UUID.randomUUID();
        eventStore.append(stream(id), 0, WrappedEvent.wrap(new AccountOpened(owner)));
        return new Account(id, owner, BigDecimal.ZERO.setScale(2), 1);
    }

    @Transactional(readOnly = true)
    public Account account(UUID id) {
        return Account.replay(id, eventStore.loadStream(stream(id))).orElseThrow(() -> new AccountNotFoundException(id));
    }

    /** The account's stream as the store loads it: the latest snapshot, then the events after it. */
    @Transactional(readOnly = true)
    public List<WrappedEvent<?>> history(UUID id) {
        List<WrappedEvent<?>> stream = eventStore.loadStream(stream(id));
        if (stream.isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        return stream;
    }

    @Transactional
    public Account deposit(UUID id, BigDecimal amount) {
        return record(account(id), new MoneyDeposited(amount));
    }

    @Transactional
    public Account withdraw(UUID id, BigDecimal amount) {
        Account account = account(id);
        account.requireFunds(amount);
        return record(account, new MoneyWithdrawn(amount));
    }

    /** Moves money between two accounts of the tenant: both appends commit together or not at all. */
    @Transactional
    public Account transfer(UUID from, UUID to, BigDecimal amount) {
        if (from.equals(to)) {
            throw new SameAccountTransferException(from);
        }
        Account source = account(from);
        Account target = account(to);
        source.requireFunds(amount);
        UUID transferId = UUID.randomUUID();
        Account sent = record(source, new TransferSent(transferId, to, amount));
        record(target, new TransferReceived(transferId, from, amount));
        return sent;
    }

    private Account record(Account account, AccountEvent event) {
        eventStore.append(stream(account.id()), account.version(), WrappedEvent.wrap(event));
        Account after = account.apply(event, account.version() + 1);
        if (after.version() % snapshotEvery == 0) {
            eventStore.saveSnapshot(stream(account.id()), WrappedEvent.wrap(after.snapshot(), after.version()));
        }
        return after;
    }

    private static StreamId stream(UUID id) {
        return StreamId.of(id).withCategory(CATEGORY);
    }
}
