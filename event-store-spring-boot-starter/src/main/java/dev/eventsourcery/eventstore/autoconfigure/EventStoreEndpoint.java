package dev.eventsourcery.eventstore.autoconfigure;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.spring.projection.DeadLetter;
import dev.eventsourcery.eventstore.spring.projection.ProjectionState;
import dev.eventsourcery.eventstore.spring.projection.ProjectionStatus;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * The Actuator endpoint {@code eventstore}: the log's head and where every projection stands, one projection
 * with its dead letters, and the {@link Projections} operations. Reading is allowed by default; the operations
 * (a write operation, {@code POST /actuator/eventstore/{name}} over HTTP) only once
 * {@code management.endpoint.eventstore.access=unrestricted}, and secured as the application secures its
 * Actuator endpoints.
 */
@Endpoint(id = "eventstore", defaultAccess = Access.READ_ONLY)
public class EventStoreEndpoint {

    /** The operations of {@link #operate}, as the {@code action} names them. */
    static final List<String> ACTIONS = List.of("pause", "resume", "reset", "rebuild", "replay");

    private final EventStore store;
    private final @Nullable Projections projections;
    private final long lagThreshold;

    /**
     * An endpoint over a store and its projections.
     *
     * @param store the event store
     * @param projections the application's projections; {@code null} when there are none
     * @param lagThreshold the lag, in events, beyond which a projection is shown as lagging
     */
    public EventStoreEndpoint(EventStore store, @Nullable Projections projections, long lagThreshold) {
        this.store = store;
        this.projections = projections;
        this.lagThreshold = lagThreshold;
    }

    /** The log's head and where every projection stands. */
    @ReadOperation
    public EventStoreDescriptor eventStore() {
        long head = store.position().map(Position::value).orElse(0L);
        List<ProjectionDescriptor> statuses = projections == null ? List.of()
                : projections.statuses().stream().map(this::describe).toList();
        return new EventStoreDescriptor(head, statuses);
    }

    /** Where one projection stands, with its dead letters; {@code null} (404 over HTTP) for an unknown name. */
    @ReadOperation
    public @Nullable ProjectionDetailsDescriptor projection(@Selector String name) {
        if (projections == null || !projections.names().contains(name)) {
            return null;
        }
        return projections.status(name).map(status -> details(projections, status)).orElse(null);
    }

    /**
     * Operates a projection: {@code pause}, {@code resume}, {@code reset} to a {@code position},
     * {@code rebuild} from the beginning, or {@code replay} the dead letter at a {@code position}.
     *
     * @param name the projection's name
     * @param action what to do: pause, resume, reset, rebuild or replay
     * @param position the new checkpoint for reset; the dead letter's position for replay; unused otherwise
     * @return where the projection stands afterwards; {@code null} for an unknown name
     * @throws InvalidEndpointRequestException (400 over HTTP) for a missing or unknown action, a missing
     *     position, or one the projection refuses (negative, no dead letter there)
     */
    @WriteOperation
    public @Nullable ProjectionDetailsDescriptor operate(@Selector String name, @Nullable String action,
            @Nullable Long position) {
        if (projections == null || !projections.names().contains(name)) {
            return null;
        }
        if (action == null || action.isBlank()) {
            throw invalid("The action is missing: send {\"action\": \"...\"} with one of " + ACTIONS);
        }
        String chosen = action.strip().toLowerCase(Locale.ROOT);
        try {
            switch (chosen) {
                case "pause" -> projections.pause(name);
                case "resume" -> projections.resume(name);
                case "rebuild" -> projections.rebuild(name);
                case "reset" -> projections.reset(name, new Position(required(position, chosen,
                        "the checkpoint to move projection '" + name + "' to")));
                case "replay" -> projections.replay(name, required(position, chosen,
                        "the position of the dead letter of projection '" + name + "' to replay"));
                default -> throw invalid("Unknown action '" + action + "' for projection '" + name
                        + "': use one of " + ACTIONS);
            }
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        return projection(name);
    }

    private static long required(@Nullable Long position, String action, String what) {
        if (position == null) {
            throw invalid("Action '" + action + "' needs a position: " + what);
        }
        return position;
    }

    private static InvalidEndpointRequestException invalid(String message) {
        return new InvalidEndpointRequestException(message, message);
    }

    private ProjectionDescriptor describe(ProjectionStatus status) {
        return new ProjectionDescriptor(status.name(), status.state(), status.checkpoint(), status.lag(),
                status.timeLag().toMillis() / 1000.0, status.lag() > lagThreshold, status.owner(),
                ProjectionErrorSummary.of(status.error()), status.errorPosition(), status.deadLetters());
    }

    private ProjectionDetailsDescriptor details(Projections projections, ProjectionStatus status) {
        return new ProjectionDetailsDescriptor(status.name(), status.state(), status.checkpoint(), status.head(),
                status.lag(), status.timeLag().toMillis() / 1000.0, status.lag() > lagThreshold, status.owner(),
                ProjectionErrorSummary.of(status.error()), status.error(), status.errorPosition(),
                status.deadLetters(), projections.deadLetters(status.name()).stream().map(EventStoreEndpoint::describe)
                        .toList());
    }

    private static DeadLetterDescriptor describe(DeadLetter letter) {
        return new DeadLetterDescriptor(letter.position(), letter.tenantId(), letter.stream(), letter.eventUuid(),
                letter.eventType(), ProjectionErrorSummary.of(letter.error()), letter.error(), letter.attempts(),
                letter.recordedAt());
    }

    /**
     * The event store as the endpoint shows it.
     *
     * @param head the position of the newest event in the log; 0 when it is empty
     * @param projections where each projection stands
     */
    public record EventStoreDescriptor(long head, List<ProjectionDescriptor> projections)
            implements OperationResponseBody {
    }

    /**
     * Where a projection stands.
     *
     * @param name its name
     * @param state running, paused or failed
     * @param checkpoint the position of the last event it handled or skipped
     * @param lag how many positions of the log lie after its checkpoint
     * @param timeLagSeconds how long the oldest event it has not handled has been in the log
     * @param lagging whether its lag is beyond {@code event-store.projections.lag-threshold}
     * @param owner the instance running it; {@code null} when none holds its lease
     * @param error the first line of the error it stopped on, when failed
     * @param errorPosition the position of the event it stopped on, when failed
     * @param deadLetterCount how many dead letters it has
     */
    public record ProjectionDescriptor(String name, ProjectionState state, long checkpoint, long lag,
            double timeLagSeconds, boolean lagging, @Nullable String owner, @Nullable String error,
            @Nullable Long errorPosition, long deadLetterCount) {
    }

    /**
     * Where a projection stands, in full.
     *
     * @param name its name
     * @param state running, paused or failed
     * @param checkpoint the position of the last event it handled or skipped
     * @param head the position of the newest event in the log
     * @param lag how many positions of the log lie after its checkpoint
     * @param timeLagSeconds how long the oldest event it has not handled has been in the log
     * @param lagging whether its lag is beyond {@code event-store.projections.lag-threshold}
     * @param owner the instance running it; {@code null} when none holds its lease
     * @param error the first line of the error it stopped on, when failed
     * @param errorTrace the whole error it stopped on, when failed
     * @param errorPosition the position of the event it stopped on, when failed
     * @param deadLetterCount how many dead letters it has
     * @param deadLetters its dead letters, in position order
     */
    public record ProjectionDetailsDescriptor(String name, ProjectionState state, long checkpoint, long head,
            long lag, double timeLagSeconds, boolean lagging, @Nullable String owner, @Nullable String error,
            @Nullable String errorTrace, @Nullable Long errorPosition, long deadLetterCount,
            List<DeadLetterDescriptor> deadLetters) implements OperationResponseBody {
    }

    /**
     * An event a projection gave up on ({@link DeadLetter}), as the endpoint shows it.
     *
     * @param position the event's position in the log, to replay it with
     * @param tenantId the event's tenant; empty for the default one
     * @param stream the event's stream
     * @param eventUuid the event's id
     * @param eventType the event's type
     * @param error the first line of the last attempt's failure
     * @param errorTrace the last attempt's whole failure
     * @param attempts how many times it was handled
     * @param recordedAt when it was recorded
     */
    public record DeadLetterDescriptor(long position, String tenantId, String stream, String eventUuid,
            String eventType, @Nullable String error, String errorTrace, int attempts, Instant recordedAt) {
    }
}
