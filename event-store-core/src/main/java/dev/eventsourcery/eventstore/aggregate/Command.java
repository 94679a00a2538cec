package dev.eventsourcery.eventstore.aggregate;

/**
 * A command: what it decides, given the current state of an aggregate. It may run more than once (the
 * repository runs it again on the reloaded state after a concurrent change), so it must have no side effects;
 * to refuse, it throws.
 *
 * @param <S> the aggregate's state
 */
@FunctionalInterface
public interface Command<S> {

    /**
     * Decides what happens to the aggregate: one event, a {@link java.util.List} of events (appended in its
     * order), or an empty list to decide nothing, in which case nothing is appended. An event may be given as a
     * {@link dev.eventsourcery.eventstore.WrappedEvent} to choose its id and context (a correlation id, say); a
     * bare event is wrapped with a random id and an empty context. {@code null} fails the command with a
     * {@link NullPointerException} naming the aggregate; another kind of collection, an {@code Optional}, a
     * stream or an array fails it with an {@link IllegalArgumentException}, since none of them can be an event.
     */
    Object decide(S state);
}
