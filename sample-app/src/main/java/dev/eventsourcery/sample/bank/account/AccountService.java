package dev.eventsourcery.sample.bank.account;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.Aggregate;
import dev.eventsourcery.eventstore.aggregate.AggregateNotFoundException;
import dev.eventsourcery.eventstore.aggregate.AggregateRepository;
import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.aggregate.Command;
import dev.eventsourcery.eventstore.aggregate.SnapshotPolicy;
import dev.eventsourcery.eventstore.spring.aggregate.AggregateRepositories;
import dev.eventsourcery.sample.bank.BankProperties;

/**
 * Opens accounts and moves money, through the repository of {@link Account} aggregates: each command loads
 * the account (from its latest snapshot), decides, and appends with the version it loaded. A command on one
 * account runs in a transaction of its own and is retried when another request changed the account in
 * between ({@code event-store.aggregates.max-attempts}); a transfer changes two accounts in one transaction,
 * so a conflict there is not retried but answered with {@code 409 Concurrent change}, and nothing of it is
 * written. The repository works in the tenant of the current request.
 */
@Service
public class AccountService {

    private final AggregateRepository<Account> accounts;
    private final EventStore eventStore;

    public AccountService(AggregateRepositories repositories, EventStore eventStore, BankProperties properties) {
        this.accounts = repositories.repository(Account.type(SnapshotPolicy.everyEvents(properties.snapshotEvery())));
        this.eventStore = eventStore;
    }

    public Aggregate<Account> open(String owner) {
        return accounts.create(UUID.randomUUID(), account -> account.open(owner));
    }

    public Aggregate<Account> account(UUID id) {
        return accounts.find(id).orElseThrow(() -> new AccountNotFoundException(id));
    }

    /** The account's stream as the store loads it: the latest snapshot, then the events after it. */
    public List<WrappedEvent<?>> history(UUID id) {
        List<WrappedEvent<?>> stream = eventStore.loadStream(type().streamId(id));
        if (stream.isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        return stream;
    }

    public Aggregate<Account> deposit(UUID id, BigDecimal amount) {
        return update(id, account -> account.deposit(amount));
    }

    public Aggregate<Account> withdraw(UUID id, BigDecimal amount) {
        return update(id, account -> account.withdraw(id, amount));
    }

    /** Moves money between two accounts of the tenant: both appends commit together or not at all. */
    @Transactional
    public Aggregate<Account> transfer(UUID from, UUID to, BigDecimal amount) {
        if (from.equals(to)) {
            throw new SameAccountTransferException(from);
        }
        account(to);
        UUID transferId = UUID.randomUUID();
        Aggregate<Account> sent = update(from, account -> account.send(from, transferId, to, amount));
        update(to, account -> account.receive(transferId, from, amount));
        return sent;
    }

    AggregateType<Account> type() {
        return accounts.type();
    }

    private Aggregate<Account> update(UUID id, Command<Account> command) {
        try {
            return accounts.update(id, command);
        } catch (AggregateNotFoundException e) {
            throw new AccountNotFoundException(id);
        }
    }
}
