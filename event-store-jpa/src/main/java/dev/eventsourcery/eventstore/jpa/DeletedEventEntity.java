package dev.eventsourcery.eventstore.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The mapping of an event deleted with its stream that the {@link LogSequencer} has still to remove from the
 * log ({@code es_deleted}). Written by the delete, removed by the sequencer; mapped so that schema validation
 * checks it.
 */
@Entity(name = "EventStoreDeletedEvent")
@Table(name = "es_deleted")
class DeletedEventEntity {

    @Id
    @Column(name = "seq", nullable = false)
    private long seq;

    protected DeletedEventEntity() {
        // for JPA
    }
}
