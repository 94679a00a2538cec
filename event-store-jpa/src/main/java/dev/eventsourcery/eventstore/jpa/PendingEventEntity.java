package dev.eventsourcery.eventstore.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The mapping of a committed or uncommitted event that has no log position yet ({@code es_pending}).
 * Written with the event by the append, removed by the {@link LogSequencer}; mapped so that schema
 * validation checks it.
 */
@Entity(name = "EventStorePendingEvent")
@Table(name = "es_pending")
class PendingEventEntity {

    @Id
    @Column(name = "seq", nullable = false)
    private long seq;

    protected PendingEventEntity() {
        // for JPA
    }
}
