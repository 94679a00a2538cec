package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import java.util.List;

import org.springframework.stereotype.Service;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;

/** Opens accounts and takes deposits, each account a stream. */
@Service
public class AccountService {

    private final EventStore store;

    public AccountService(EventStore store) {
        this.store = store;
    }

    public void open(StreamId account, String owner) {
        store.appendEvents(account, 0, new AccountOpened(owner));
    }

    public void deposit(StreamId account, long amount) {
        List<WrappedEvent<?>> events = store.loadStream(account);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("No account " + account);
        }
        store.appendEvents(account, events.get(events.size() - 1).version(), new MoneyDeposited(amount));
    }

    public long balance(StreamId account) {
        return store.loadStream(account).stream()
                .map(WrappedEvent::event)
                .filter(MoneyDeposited.class::isInstance)
                .mapToLong(event -> ((MoneyDeposited) event).amount())
                .sum();
    }
}
