package dev.eventsourcery.eventstore.spring.projection;

import java.time.Instant;

/**
 * An event a projection gave up on and moved past ({@link FailurePolicy#DEAD_LETTER}); the event stays in
 * the log, where {@link Projections#replay(String, long)} reads it again.
 *
 * @param projection the projection's name
 * @param position the event's position in the log
 * @param tenantId the event's tenant
 * @param stream the event's stream, as {@code StreamId.toString()} shows it
 * @param eventUuid the event's id
 * @param eventType the event's type name
 * @param error the last attempt's failure
 * @param attempts how many times it was handled
 * @param recordedAt when it was recorded
 */
public record DeadLetter(String projection, long position, String tenantId, String stream, String eventUuid,
        String eventType, String error, int attempts, Instant recordedAt) {
}
