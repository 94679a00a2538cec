package dev.eventsourcery.eventstore.jpa;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnDefault;
import org.hibernate.annotations.JdbcType;

/**
 * A snapshot, keyed to its stream and the stream version it summarises; {@code schema_version} is the schema
 * version of its payload (1 for rows stored before the column existed).
 */
@Entity(name = "EventStoreSnapshot")
@Table(name = "es_snapshot")
@IdClass(SnapshotEntity.Key.class)
class SnapshotEntity {

    @Id
    @Column(name = "stream_id", nullable = false)
    private UUID streamId;

    @Id
    @Column(name = "version", nullable = false)
    private long version;

    @Column(name = "tenant_id", nullable = false, length = 64)
    private String tenantId;

    @Column(name = "snapshot_uuid", nullable = false)
    private UUID snapshotUuid;

    @Column(name = "event_type", nullable = false, length = 255)
    private String eventType;

    @ColumnDefault("1")
    @Column(name = "schema_version", nullable = false)
    private int schemaVersion;

    @JdbcType(JsonTextJdbcType.class)
    @Column(name = "payload", nullable = false)
    private String payload;

    @JdbcType(JsonTextJdbcType.class)
    @Column(name = "context", nullable = false)
    private String context;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected SnapshotEntity() {
        this(new UUID(0, 0), 0, "", new UUID(0, 0), "", 1, "", "", Instant.EPOCH);
    }

    SnapshotEntity(UUID streamId, long version, String tenantId, UUID snapshotUuid, String eventType,
            int schemaVersion, String payload, String context, Instant createdAt) {
        this.streamId = streamId;
        this.version = version;
        this.tenantId = tenantId;
        this.snapshotUuid = snapshotUuid;
        this.eventType = eventType;
        this.schemaVersion = schemaVersion;
        this.payload = payload;
        this.context = context;
        this.createdAt = createdAt;
    }

    void replaceWith(SnapshotEntity other) {
        this.snapshotUuid = other.snapshotUuid;
        this.eventType = other.eventType;
        this.schemaVersion = other.schemaVersion;
        this.payload = other.payload;
        this.context = other.context;
        this.createdAt = other.createdAt;
    }

    /** The composite key: stream and version. */
    record Key(UUID streamId, long version) implements Serializable {
    }
}
