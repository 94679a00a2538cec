package dev.eventsourcery.eventstore.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

/** An entity of the calling application, in the same persistence unit as the event store's tables. */
@Entity(name = "CallerAccount")
@Table(name = "caller_account")
class CallerAccount {

    /** The table, created by the tests (Hibernate only validates it). */
    static final String TABLE = "create table if not exists caller_account (id varchar(64) not null primary key, "
            + "number varchar(64) not null unique, owner varchar(64) not null)";

    @Id
    @Column(name = "id")
    private String id;

    @Column(name = "number", nullable = false, unique = true)
    private String number;

    /** Not null in the table only, so that a missing owner reaches the database when the caller flushes. */
    @Column(name = "owner")
    private @Nullable String owner;

    protected CallerAccount() {
        this("", "", "");
    }

    CallerAccount(String id, String number, @Nullable String owner) {
        this.id = id;
        this.number = number;
        this.owner = owner;
    }
}
