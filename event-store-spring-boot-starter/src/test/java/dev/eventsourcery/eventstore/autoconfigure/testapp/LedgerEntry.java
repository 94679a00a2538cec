package dev.eventsourcery.eventstore.autoconfigure.testapp;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An application entity living next to the event store's in one persistence unit. */
@Entity
@Table(name = "ledger_entry")
public class LedgerEntry {

    @Id
    private UUID id;

    private String account;

    private long amount;

    protected LedgerEntry() {
    }

    public LedgerEntry(String account, long amount) {
        this.id = UUID.randomUUID();
        this.account = account;
        this.amount = amount;
    }

    public String account() {
        return account;
    }
}
