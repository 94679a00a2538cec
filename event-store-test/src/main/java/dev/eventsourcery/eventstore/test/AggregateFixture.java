package dev.eventsourcery.eventstore.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.WritableAssertionInfo;
import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.aggregate.Command;

/**
 * A given/when/then test of an aggregate's commands, without a store: given the events in its stream, when
 * a command runs on the state they fold into, then it decides these events, or throws. It runs the command
 * as {@link dev.eventsourcery.eventstore.aggregate.AggregateRepository} does — on the state
 * {@link AggregateType#evolve} folds the given events into — so a test here proves what the repository
 * would append, in microseconds.
 *
 * <pre>{@code
 * AggregateFixture.of(Account.type(SnapshotPolicy.never()))
 *         .given(new AccountOpened("Ada"), new MoneyDeposited(new BigDecimal("100.00"), "EUR"))
 *         .when(account -> account.withdraw(new BigDecimal("30.00")))
 *         .thenEvents(new MoneyWithdrawn(new BigDecimal("30.00")));
 * }</pre>
 *
 * <p>A mismatch fails with an {@link AssertionError} that lists the expected and the decided events side by
 * side, marking the first that differ.
 *
 * @param <S> the aggregate's state
 */
public final class AggregateFixture<S> {

    private final AggregateType<S> type;

    private AggregateFixture(AggregateType<S> type) {
        this.type = type;
    }

    /** A fixture for aggregates of the given type. */
    public static <S> AggregateFixture<S> of(AggregateType<S> type) {
        return new AggregateFixture<>(Objects.requireNonNull(type, "type"));
    }

    /** The events already in the aggregate's stream, oldest first; none for a new aggregate. */
    public Given<S> given(Object... events) {
        return given(Arrays.asList(events));
    }

    /** The events already in the aggregate's stream, oldest first. */
    public Given<S> given(List<?> events) {
        S state = type.initialState();
        for (Object event : events) {
            state = type.evolve(state, Objects.requireNonNull(event, "given event"));
        }
        return new Given<>(type, state, List.copyOf(events));
    }

    /** A new aggregate: no events yet. */
    public Given<S> givenNothing() {
        return given(List.of());
    }

    /** The state the given events left, ready for a command. */
    public static final class Given<S> {

        private final AggregateType<S> type;
        private final S state;
        private final List<?> history;

        private Given(AggregateType<S> type, S state, List<?> history) {
            this.type = type;
            this.state = state;
            this.history = history;
        }

        /** The state the given events fold into. */
        public S state() {
            return state;
        }

        /** Runs the command on the state; what it decided, or threw, is checked next. */
        public Then<S> when(Command<S> command) {
            Objects.requireNonNull(command, "command");
            try {
                List<Object> decided = new ArrayList<>();
                for (WrappedEvent<?> event : Command.eventsOf(command.decide(state), () -> "'" + type.category() + "'")) {
                    decided.add(event.event());
                }
                S after = state;
                for (Object event : decided) {
                    after = type.evolve(after, event);
                }
                return new Then<>(type, history, decided, after, null);
            } catch (RuntimeException e) {
                return new Then<>(type, history, List.of(), state, e);
            }
        }
    }

    /** What the command did, to check. */
    public static final class Then<S> {

        private final AggregateType<S> type;
        private final List<?> history;
        private final List<Object> decided;
        private final S state;
        private final @Nullable RuntimeException thrown;

        private Then(AggregateType<S> type, List<?> history, List<Object> decided, S state,
                @Nullable RuntimeException thrown) {
            this.type = type;
            this.history = history;
            this.decided = decided;
            this.state = state;
            this.thrown = thrown;
        }

        /** Expects exactly these events, in this order, compared with {@code equals}. */
        public Then<S> thenEvents(Object... expected) {
            requireNoException("events " + Arrays.asList(expected));
            List<Object> wanted = Arrays.asList(expected);
            String difference = EventListing.firstDifference(wanted, decided, i -> "", "the decision");
            if (difference != null) {
                throw DiffableFailure.of(new WritableAssertionInfo(), "Expecting the command on '" + type.category()
                        + "' to decide exactly these events:\n"
                        + EventListing.lines(wanted)
                        + "\nbut it decided:\n" + EventListing.lines(decided)
                        + "\n" + difference + givenText(), EventListing.plain(decided), EventListing.plain(wanted));
            }
            return this;
        }

        /** Expects the command to decide nothing. */
        public Then<S> thenNoEvents() {
            return thenEvents();
        }

        /** Expects the command to throw an exception of this class; returns an assertion on it for more. */
        public AbstractThrowableAssert<?, ? extends Throwable> thenThrows(Class<? extends Throwable> expected) {
            if (thrown == null) {
                throw new AssertionError("Expected the command on " + type.category() + " to throw "
                        + expected.getName() + ", but it decided" + list(decided) + givenText());
            }
            if (!expected.isInstance(thrown)) {
                AssertionError error = new AssertionError("Expected the command on " + type.category() + " to throw "
                        + expected.getName() + ", but it threw " + thrown + givenText());
                error.initCause(thrown);
                throw error;
            }
            return Assertions.assertThat((Throwable) thrown);
        }

        /** Checks the state after the decided events are folded in. */
        public Then<S> thenState(Consumer<? super S> requirements) {
            requireNoException("a state");
            requirements.accept(state);
            return this;
        }

        /** The decided events, for checks of one's own. */
        public List<Object> events() {
            requireNoException("events");
            return List.copyOf(decided);
        }

        private void requireNoException(String what) {
            if (thrown != null) {
                AssertionError error = new AssertionError("Expected the command on " + type.category() + " to decide "
                        + what + ", but it threw " + thrown + givenText());
                error.initCause(thrown);
                throw error;
            }
        }

        private static String list(List<?> events) {
            return events.isEmpty() ? " no events" : ":\n" + EventListing.lines(events);
        }

        private String givenText() {
            return "\ngiven" + list(history);
        }
    }
}
