package dev.eventsourcery.eventstore.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.SubscriptionBuilder;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * One run of a program against the in-memory reference and a store under test: every step is resolved
 * against the reference, applied to both, and must give the same outcome — the same value, or an
 * exception of the same type. After the last step every stream the program wrote must load the same from both.
 */
public final class ModelRun {

    private final EventStore reference;
    private final EventStore candidate;
    private final Set<UUID> known = new HashSet<>();
    private final List<Operation.Call> appends = new ArrayList<>();
    private final Set<Map.Entry<TenantId, StreamId>> touched = new LinkedHashSet<>();
    private LogOrder logOrder = LogOrder.WHOLE;

    private ModelRun(EventStore reference, EventStore candidate, List<Operation> program) {
        this.reference = reference;
        this.candidate = candidate;
        for (Operation operation : program) {
            if (operation instanceof Operation.Append append) {
                append.events().forEach(event -> known.add(event.uuid()));
                touched.add(Map.entry(append.tenant(), append.stream()));
            } else if (operation instanceof Operation.Snapshot snapshot) {
                known.add(snapshot.snapshot().uuid());
                touched.add(Map.entry(snapshot.tenant(), snapshot.stream()));
            } else if (operation instanceof Operation.AppendBare append) {
                touched.add(Map.entry(append.tenant(), append.stream()));
            } else if (operation instanceof Operation.Delete delete) {
                touched.add(Map.entry(delete.tenant(), delete.stream()));
            }
        }
    }

    /** How the logs of the two stores are compared after a program. */
    public enum LogOrder {
        /** The whole log in one order, as the in-memory reference has it. */
        WHOLE,
        /**
         * Each stream's events in the same order, and the same events in all: for a store under test whose
         * numbering may order the events of different streams committed at once otherwise than the reference.
         */
        WITHIN_STREAMS
    }

    /** Runs a program on both stores, each holding nothing yet, and fails on the first difference. */
    public static void run(List<Operation> program, EventStore reference, EventStore candidate) {
        run(program, reference, candidate, LogOrder.WHOLE);
    }

    /**
     * Runs a program on both stores, each holding nothing yet, and fails on the first difference; the logs are
     * compared as {@code logOrder} says.
     */
    public static void run(List<Operation> program, EventStore reference, EventStore candidate, LogOrder logOrder) {
        ModelRun run = new ModelRun(reference, candidate, program);
        run.logOrder = logOrder;
        for (int step = 0; step < program.size(); step++) {
            Operation.Call call = program.get(step).resolve(run);
            Outcome expected = Outcome.of(call.action(), reference);
            Outcome actual = Outcome.of(call.action(), candidate);
            run.compare("step " + (step + 1) + ": " + call, expected, actual);
        }
        for (Map.Entry<TenantId, StreamId> written : run.touched) {
            TenantId tenant = written.getKey();
            StreamId stream = written.getValue();
            Function<EventStore, @Nullable Object> load = root -> run.seen(scoped(root, tenant).loadStream(stream));
            run.compare("after the last step: load " + tenant + " " + stream,
                    Outcome.of(load, reference), Outcome.of(load, candidate));
        }
        Function<EventStore, @Nullable Object> position = root -> root.position().isPresent();
        run.compare("after the last step: position present", Outcome.of(position, reference), Outcome.of(position, candidate));
        run.compareLogs();
    }

    /** The categories of the programs' streams, which category subscriptions are compared for. */
    private static final List<String> CATEGORIES = ProgramGenerator.STREAMS.stream().map(StreamId::category)
            .filter(Objects::nonNull).distinct().toList();

    /**
     * Compares the logs: a subscription from the start in every tenant, one per tenant and one per category
     * must deliver the same events, in the same order, from both stores.
     */
    private void compareLogs() {
        compareLog("the whole log", root -> root.subscribe().inAllTenants());
        for (TenantId tenant : ProgramGenerator.TENANTS) {
            compareLog("the log of " + tenant, root -> scoped(root, tenant).subscribe());
        }
        for (String category : CATEGORIES) {
            compareLog("the log of category '" + category + "'", root -> root.subscribe().inAllTenants().toCategory(category));
        }
    }

    private void compareLog(String what, Function<EventStore, SubscriptionBuilder> subscription) {
        Function<EventStore, @Nullable Object> read = root -> {
            // numbers every committed event, so that a poll that waits for nothing reads the whole log
            root.position();
            List<Logged> logged = new ArrayList<>();
            try (Subscription reading = subscription.apply(root).build()) {
                List<RecordedEvent<?>> polled;
                while (!(polled = reading.poll(100, Duration.ZERO)).isEmpty()) {
                    for (RecordedEvent<?> event : polled) {
                        logged.add(new Logged(event.tenantId(), event.streamId(), seen(List.of(event.wrappedEvent())).get(0)));
                    }
                }
            }
            if (logOrder == LogOrder.WITHIN_STREAMS) {
                Map<Map.Entry<TenantId, StreamId>, List<Logged>> byStream = new HashMap<>();
                logged.forEach(event -> byStream.computeIfAbsent(Map.entry(event.tenant(), event.stream()),
                        stream -> new ArrayList<>()).add(event));
                return byStream;
            }
            return logged;
        };
        compare("after the last step: " + what, Outcome.of(read, reference), Outcome.of(read, candidate));
    }

    /** An event of the log as compared: its tenant, stream and what a load of it shows. */
    record Logged(TenantId tenant, StreamId stream, Seen event) {
    }

    /**
     * Applies a program to one store, resolving it against that store and ignoring refusals; fails when
     * the store throws anything the API does not signal.
     */
    public static void applyIgnoringRefusals(EventStore store, List<Operation> program) {
        ModelRun run = new ModelRun(store, store, program);
        for (Operation operation : program) {
            Operation.Call call = operation.resolve(run);
            if (Outcome.of(call.action(), store) instanceof Outcome.Threw threw && !threw.isSignalledByTheApi()) {
                throw new AssertionError(call + ": the store threw " + threw.type().getName()
                        + ", which is neither an EventStoreException nor an argument exception", threw.failure());
            }
        }
    }

    private void compare(String what, Outcome expected, Outcome actual) {
        if (actual instanceof Outcome.Threw threw && !threw.isSignalledByTheApi()) {
            throw new AssertionError(what + ": the store under test threw " + threw.type().getName()
                    + ", which is neither an EventStoreException nor an argument exception", threw.failure());
        }
        if (!expected.equals(actual)) {
            AssertionError error = new AssertionError(what + "\n    reference: " + expected + "\n    under test: " + actual);
            if (actual instanceof Outcome.Threw threw) {
                error.initCause(threw.failure());
            }
            throw error;
        }
    }

    /** The store's view of a tenant. */
    static EventStore scoped(EventStore root, TenantId tenant) {
        return root.scopedForTenant(tenant);
    }

    /** The stream's current version in the reference store; 0 when it is absent, versionless or cannot be read. */
    long currentVersion(TenantId tenant, StreamId stream) {
        try {
            List<WrappedEvent<?>> events = scoped(reference, tenant).loadStream(stream);
            Long version = events.isEmpty() ? null : events.get(events.size() - 1).version();
            return version == null ? 0 : version;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    void remember(Operation.Call append) {
        appends.add(append);
    }

    Operation.@Nullable Call earlierAppend(int which) {
        return appends.isEmpty() ? null : appends.get(Math.floorMod(which, appends.size()));
    }

    /**
     * Loaded events as compared: everything, except the ids and creation times the store chose itself for
     * bare events (they differ between stores by design).
     */
    List<Seen> seen(List<WrappedEvent<?>> events) {
        List<Seen> seen = new ArrayList<>(events.size());
        for (WrappedEvent<?> event : events) {
            boolean ours = known.contains(event.uuid());
            seen.add(new Seen(event.event(), event.version(), event.context(), ours ? event.uuid() : null,
                    ours ? event.createdAt() : null));
        }
        return seen;
    }

    /** A loaded event as compared. */
    record Seen(Object event, @Nullable Long version, Context context, @Nullable UUID uuid, @Nullable Instant createdAt) {
    }

    /** What a call did: returned a value, or threw. */
    sealed interface Outcome permits Outcome.Returned, Outcome.Threw {

        static Outcome of(Function<EventStore, @Nullable Object> action, EventStore store) {
            return of(() -> action.apply(store));
        }

        static Outcome of(Supplier<@Nullable Object> action) {
            try {
                return new Returned(action.get());
            } catch (RuntimeException e) {
                return new Threw(e.getClass(), e);
            }
        }

        /** Returned this value. */
        record Returned(@Nullable Object value) implements Outcome {
        }

        /** Threw; equal to another when the exception types are the same. */
        record Threw(Class<?> type, RuntimeException failure) implements Outcome {

            boolean isSignalledByTheApi() {
                return failure instanceof EventStoreException || failure instanceof IllegalArgumentException
                        || failure instanceof NullPointerException;
            }

            @Override
            public boolean equals(@Nullable Object other) {
                return other instanceof Threw that && type.equals(that.type);
            }

            @Override
            public int hashCode() {
                return Objects.hash(type);
            }

            @Override
            public String toString() {
                return "threw " + type.getSimpleName() + ": " + failure.getMessage();
            }
        }
    }
}
