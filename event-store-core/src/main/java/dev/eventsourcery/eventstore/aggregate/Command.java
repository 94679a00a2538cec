package dev.eventsourcery.eventstore.aggregate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.BaseStream;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.WrappedEvent;

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

    /**
     * The events a decision names, in order, each wrapped (a bare event with a random id and an empty
     * context), by the rules of {@link #decide}: what the repository appends, and what a test fixture
     * compares.
     *
     * @param aggregate names the aggregate in the exception of a decision that names no events (asked only then)
     * @throws NullPointerException when the decision or one of its events is null
     * @throws IllegalArgumentException when the decision is a collection other than a list, an {@code Optional},
     *     a stream or an array, or a list holds one of those
     */
    static List<WrappedEvent<?>> eventsOf(@Nullable Object decision, Supplier<String> aggregate) {
        if (decision == null) {
            throw new NullPointerException("A command on aggregate " + aggregate.get() + " decided null; it must return "
                    + "an event, a List of events, or an empty List to decide nothing");
        }
        if (decision instanceof List<?> list) {
            List<WrappedEvent<?>> events = new ArrayList<>(list.size());
            for (Object event : list) {
                events.add(wrapped(event, aggregate));
            }
            return events;
        }
        return List.of(wrapped(decision, aggregate));
    }

    private static WrappedEvent<?> wrapped(@Nullable Object event, Supplier<String> aggregate) {
        if (event == null) {
            throw new NullPointerException("A command on aggregate " + aggregate.get() + " decided a null event");
        }
        if (event instanceof Collection<?> || event instanceof Optional<?> || event instanceof BaseStream<?, ?>
                || event.getClass().isArray()) {
            throw new IllegalArgumentException("A command on aggregate " + aggregate.get() + " decided a "
                    + event.getClass().getName() + ", which is no event; it must return an event, a List of events, "
                    + "or an empty List to decide nothing");
        }
        return event instanceof WrappedEvent<?> wrapped ? wrapped : WrappedEvent.wrap(event);
    }
}
