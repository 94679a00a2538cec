package dev.eventsourcery.eventstore.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The mapping of the log's head ({@code es_log_head}, one row): the highest position ever given. Its row
 * lock makes the {@link LogSequencer}s of all instances number one after the other; mapped so that schema
 * validation checks it.
 */
@Entity(name = "EventStoreLogHead")
@Table(name = "es_log_head")
class LogHeadEntity {

    @Id
    @Column(name = "id", nullable = false)
    private int id;

    @Column(name = "position", nullable = false)
    private long position;

    protected LogHeadEntity() {
        // for JPA
    }
}
