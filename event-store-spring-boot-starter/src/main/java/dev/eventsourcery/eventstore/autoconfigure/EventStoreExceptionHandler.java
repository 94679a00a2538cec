package dev.eventsourcery.eventstore.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.IllegalTenantIdException;
import dev.eventsourcery.eventstore.InvalidSnapshotException;
import dev.eventsourcery.eventstore.VersioningMismatchException;
import dev.eventsourcery.eventstore.aggregate.AggregateNotFoundException;

/**
 * Turns the event store's exceptions that reach a Spring MVC controller into RFC 9457 problem details:
 * <ul>
 *   <li>409 Conflict: {@link ConcurrentStreamWriteException} (another writer changed the stream first),
 *       {@link DuplicateEventException}, {@link VersioningMismatchException} and
 *       {@link InvalidSnapshotException} — all of them refuse the request because of the stream's current
 *       state, which the client can load and act on;</li>
 *   <li>404 Not Found: {@link AggregateNotFoundException}, an aggregate that the request names and that does
 *       not exist;</li>
 *   <li>400 Bad Request: {@link IllegalTenantIdException}, and an {@link IllegalArgumentException} thrown by
 *       the store (bad input: its message names what was wrong and where, never the JSON or event ids);</li>
 *   <li>500 Internal Server Error: every other {@link EventStoreException}, for example an unknown event type
 *       or a serialization failure: a server fault, logged here with its cause; the client sees a generic
 *       detail that holds no payload.</li>
 * </ul>
 * It has the lowest precedence: an {@code @ExceptionHandler} of the application's own, in a controller or an
 * advice, wins (advices of equal order are asked in the order of their beans, the application's before the
 * auto-configuration's). Define a bean of this type to replace it, or set
 * {@code event-store.web.problem-details.enabled=false} to switch it off.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class EventStoreExceptionHandler {

    private static final Log LOGGER = LogFactory.getLog(EventStoreExceptionHandler.class);

    private static final String STORE_PACKAGE = "dev.eventsourcery.eventstore.";

    /** Another writer changed the stream between the client's read and this write: nothing was written. */
    @ExceptionHandler
    public ProblemDetail concurrentWrite(ConcurrentStreamWriteException e) {
        return problem(HttpStatus.CONFLICT, "Concurrent change", "The data was changed by another request "
                + "since it was read; nothing was written. Read it again and retry.");
    }

    @ExceptionHandler
    public ProblemDetail duplicateEvent(DuplicateEventException e) {
        return problem(HttpStatus.CONFLICT, "Duplicate event", "An event with the same id is already stored; "
                + "nothing was written.");
    }

    @ExceptionHandler
    public ProblemDetail versioningMismatch(VersioningMismatchException e) {
        return problem(HttpStatus.CONFLICT, "Versioning mismatch", e.getMessage());
    }

    @ExceptionHandler
    public ProblemDetail invalidSnapshot(InvalidSnapshotException e) {
        return problem(HttpStatus.CONFLICT, "Invalid snapshot", e.getMessage());
    }

    /** The aggregate the request names does not exist. */
    @ExceptionHandler
    public ProblemDetail aggregateNotFound(AggregateNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Aggregate not found", e.getMessage());
    }

    @ExceptionHandler
    public ProblemDetail illegalTenant(IllegalTenantIdException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid tenant", e.getMessage());
    }

    /**
     * Bad input refused by the store. An {@code IllegalArgumentException} that the store did not throw is
     * not the store's to answer: it is rethrown as it is, for Spring's default handling (the application's
     * own advices were asked before this one).
     */
    @ExceptionHandler
    public ProblemDetail illegalArgument(IllegalArgumentException e) throws IllegalArgumentException {
        if (!thrownByTheStore(e)) {
            throw e;
        }
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    /** A fault of the server (unknown event type, JSON that does not map, a database failure). */
    @ExceptionHandler
    public ProblemDetail eventStoreFailure(EventStoreException e) {
        LOGGER.error("The event store failed a request", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Event store failure", "The request could not be "
                + "completed because of a server error; the server's log has the details.");
    }

    private static boolean thrownByTheStore(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String className = frame.getClassName();
            if (className.startsWith("java.") || className.startsWith("jdk.")) {
                continue;
            }
            return className.startsWith(STORE_PACKAGE) && !className.startsWith(STORE_PACKAGE + "autoconfigure.");
        }
        return false;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
