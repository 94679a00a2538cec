package dev.eventsourcery.eventstore.jpa;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

/**
 * A stream's row: its identity in its tenant, whether it is versioned, and its current version, which
 * every versioned append advances with a compare-and-set.
 *
 * <p>The primary key is derived from (tenant, uuid, category) by {@link StreamKeys}, so an append can
 * address the row without reading it first, and a stream has one row by construction: no further unique
 * constraint is needed (and PostgreSQL's {@code on conflict (id)} could not arbitrate one).
 */
@Entity(name = "EventStoreStream")
@Table(name = "es_stream")
class StreamEntity {

    @Id
    @Column(name = "id", nullable = false)
    private UUID id;

    @Column(name = "tenant_id", nullable = false, length = 64)
    private String tenantId;

    @Column(name = "stream_uuid", nullable = false)
    private UUID streamUuid;

    @Column(name = "name", length = 255)
    private @Nullable String name;

    /** The category, or the empty string for none: unique constraints treat NULLs as distinct. */
    @Column(name = "category", nullable = false, length = 255)
    private String category;

    @Column(name = "versioned", nullable = false)
    private boolean versioned;

    @Column(name = "version", nullable = false)
    private long version;

    protected StreamEntity() {
        // for JPA
        this.id = new UUID(0, 0);
        this.tenantId = "";
        this.streamUuid = id;
        this.category = "";
    }

    UUID id() {
        return id;
    }

    boolean versioned() {
        return versioned;
    }

    long version() {
        return version;
    }
}
