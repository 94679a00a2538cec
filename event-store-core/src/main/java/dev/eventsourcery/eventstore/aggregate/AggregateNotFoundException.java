package dev.eventsourcery.eventstore.aggregate;

import java.util.UUID;

import dev.eventsourcery.eventstore.EventStoreException;

/** An aggregate was loaded or updated whose stream does not exist (in the current tenant). */
public class AggregateNotFoundException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    private final String category;
    private final UUID id;

    /** The aggregate {@code id} of the type whose streams are in {@code category} does not exist. */
    public AggregateNotFoundException(String category, UUID id) {
        super("Aggregate " + id + " of type '" + category + "' does not exist: its stream holds no events");
        this.category = category;
        this.id = id;
    }

    /** The category of the aggregate type's streams. */
    public String category() {
        return category;
    }

    /** The id of the aggregate that does not exist. */
    public UUID id() {
        return id;
    }
}
