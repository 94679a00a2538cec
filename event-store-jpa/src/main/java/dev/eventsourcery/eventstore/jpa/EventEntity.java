package dev.eventsourcery.eventstore.jpa;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import org.hibernate.annotations.JdbcType;
import org.jspecify.annotations.Nullable;

/**
 * A stored event. Its primary key is its position, drawn from a sequence with a pooled optimizer (never
 * an identity column, which would disable JDBC batching); payload and context are JSON columns.
 */
@Entity(name = "EventStoreEvent")
@Table(name = "es_event", uniqueConstraints = {
        @UniqueConstraint(name = "es_event_uuid_uk", columnNames = "event_uuid"),
        @UniqueConstraint(name = "es_event_stream_version_uk", columnNames = {"stream_id", "version"})})
class EventEntity {

    /** Positions drawn per sequence call; the scripts create the sequence with the same increment. */
    static final int POSITION_ALLOCATION = 50;

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "es_event_position")
    @SequenceGenerator(name = "es_event_position", sequenceName = "es_event_position_seq",
            allocationSize = POSITION_ALLOCATION)
    @Column(name = "position", nullable = false)
    private @Nullable Long position;

    @Column(name = "stream_id", nullable = false)
    private UUID streamId;

    @Column(name = "tenant_id", nullable = false, length = 64)
    private String tenantId;

    @Column(name = "version")
    private @Nullable Long version;

    @Column(name = "event_uuid", nullable = false)
    private UUID eventUuid;

    @Column(name = "event_type", nullable = false, length = 255)
    private String eventType;

    @JdbcType(JsonTextJdbcType.class)
    @Column(name = "payload", nullable = false)
    private String payload;

    @JdbcType(JsonTextJdbcType.class)
    @Column(name = "context", nullable = false)
    private String context;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected EventEntity() {
        this(new UUID(0, 0), "", null, new UUID(0, 0), "", "", "", Instant.EPOCH);
    }

    EventEntity(UUID streamId, String tenantId, @Nullable Long version, UUID eventUuid, String eventType,
            String payload, String context, Instant createdAt) {
        this.streamId = streamId;
        this.tenantId = tenantId;
        this.version = version;
        this.eventUuid = eventUuid;
        this.eventType = eventType;
        this.payload = payload;
        this.context = context;
        this.createdAt = createdAt;
    }
}
