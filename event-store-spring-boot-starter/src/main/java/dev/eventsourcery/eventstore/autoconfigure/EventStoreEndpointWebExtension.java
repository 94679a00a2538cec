package dev.eventsourcery.eventstore.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code eventstore} endpoint's operations over HTTP: an unknown projection answers 404 and a bad request
 * 400, each with a body {@code {"error": "..."}} saying what was wrong, rather than the bare status a client
 * would otherwise get (Spring Boot leaves error messages out of its error responses by default).
 */
@EndpointWebExtension(endpoint = EventStoreEndpoint.class)
public class EventStoreEndpointWebExtension {

    private final EventStoreEndpoint endpoint;

    /** The web extension of this endpoint. */
    public EventStoreEndpointWebExtension(EventStoreEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * {@code POST /actuator/eventstore/{name}} with {@code {"action": "pause|resume|reset|rebuild|replay",
     * "position": n}}: see {@link EventStoreEndpoint#operate}.
     *
     * @param name the projection's name
     * @param action what to do
     * @param position the position reset and replay need
     * @return 200 with where the projection stands afterwards, 404 for an unknown name, 400 for a bad request
     */
    @WriteOperation
    public WebEndpointResponse<Object> operate(@Selector String name, @Nullable String action,
            @Nullable Long position) {
        try {
            Object details = endpoint.operate(name, action, position);
            if (details == null) {
                return error("No projection is named '" + name + "'", WebEndpointResponse.STATUS_NOT_FOUND);
            }
            return new WebEndpointResponse<>(details, WebEndpointResponse.STATUS_OK);
        } catch (InvalidEndpointRequestException e) {
            return error(e.getReason() != null ? e.getReason() : e.getMessage(), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    private static WebEndpointResponse<Object> error(String message, int status) {
        return new WebEndpointResponse<>(OperationResponseBody.of(Map.of("error", message)), status);
    }
}
