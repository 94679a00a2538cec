package dev.eventsourcery.eventstore.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * The mapping of a row of the log ({@code es_log}): an event's position, with what subscriptions filter
 * by. Written by the {@link LogSequencer} with plain JDBC; mapped so that schema validation checks it.
 */
@Entity(name = "EventStoreLog")
@Table(name = "es_log", uniqueConstraints = @UniqueConstraint(name = "es_log_seq_uk", columnNames = "seq"))
class LogEntity {

    @Id
    @Column(name = "position", nullable = false)
    private long position;

    @Column(name = "seq", nullable = false)
    private long seq;

    @Column(name = "tenant_id", nullable = false, length = 64)
    private String tenantId = "";

    @Column(name = "category", nullable = false, length = 255)
    private String category = "";

    @Column(name = "event_type", nullable = false, length = 255)
    private String eventType = "";

    protected LogEntity() {
        // for JPA
    }
}
