package dev.eventsourcery.eventstore.autoconfigure.testapp;

import jakarta.persistence.EntityManager;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;

/** Writes business state and events in one transaction, as an application does. */
@Service
public class LedgerService {

    private final EntityManager entityManager;
    private final EventStore eventStore;

    public LedgerService(EntityManager entityManager, EventStore eventStore) {
        this.entityManager = entityManager;
        this.eventStore = eventStore;
    }

    /** Records a deposit as an entity and an event; fails after both when asked to. */
    @Transactional
    public void deposit(String account, long amount, boolean failAfterwards) {
        entityManager.persist(new LedgerEntry(account, amount));
        eventStore.appendEvents(StreamId.named(account), Versioning.ANY, new MoneyDeposited(account, amount));
        if (failAfterwards) {
            throw new IllegalStateException("deposit refused after writing");
        }
    }

    public long entries(String account) {
        return entityManager.createQuery("select count(e) from LedgerEntry e where e.account = :account", Long.class)
                .setParameter("account", account)
                .getSingleResult();
    }
}
