package dev.eventsourcery.eventstore;

/**
 * Describes a {@link Subscription} to the log: where it starts and which events it delivers. Filters
 * combine (every one given must hold) and never change positions: a filtered subscription's checkpoint is
 * a position in the whole log.
 */
public interface SubscriptionBuilder {

    /** Delivers only events with positions above the checkpoint; by default the subscription starts at the first. */
    SubscriptionBuilder after(Position checkpoint);

    /**
     * Delivers only events of streams in this category.
     *
     * @throws IllegalArgumentException when the category is blank or longer than 255 characters
     */
    SubscriptionBuilder toCategory(String category);

    /**
     * Delivers only events read as these classes, not as their subclasses: those stored under their type names
     * or aliases, and older ones that upcasters rename into them. Which class an event reads as depends on the
     * schema version it was stored at too: under a name an upcaster renames away from, a newer class may be
     * stored, and its events are not the renamed ones.
     *
     * @throws IllegalArgumentException when no class is given, or a class is not registered and cannot be
     *     (no name to store it under, or a name another class holds)
     */
    SubscriptionBuilder toEvents(Class<?>... eventTypes);

    /** Delivers the events of every tenant, the default one included, instead of the store's tenant only. */
    SubscriptionBuilder inAllTenants();

    /** The subscription. */
    Subscription build();
}
