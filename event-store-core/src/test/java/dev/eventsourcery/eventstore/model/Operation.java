package dev.eventsourcery.eventstore.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * One step of a generated program. Steps are generated before the program runs; what depends on the
 * store's state (the correct expected version, the current version a snapshot summarises) is resolved
 * when the step runs, from the reference store, so that shrinking a program keeps every step meaningful.
 */
public sealed interface Operation permits Operation.Append, Operation.AppendBare, Operation.Retry, Operation.Load,
        Operation.Delete, Operation.Snapshot, Operation.ReadPosition {

    /** The call this step makes, with its arguments resolved against the reference store. */
    Call resolve(ModelRun run);

    /** A concrete call on a store's root (default-tenant) view. */
    record Call(String description, Function<EventStore, @Nullable Object> action) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** How an append's versioning is chosen when it runs. */
    enum VersionKind {
        /** The stream's current version: accepted. */
        CORRECT,
        /** The current version minus {@code value} (at least 0): a conflict unless it is still current. */
        STALE,
        /** A fixed expected version, right or wrong. */
        FIXED,
        /** {@code Long.MAX_VALUE}: leaves no room for versions. */
        HUGE,
        /** {@link Versioning#ANY}. */
        ANY,
        /** {@link Versioning#NO_VERSIONING}. */
        NONE
    }

    /** An append's versioning, resolved against the current version of the stream. */
    record VersionSpec(VersionKind kind, long value) {

        Versioning resolve(long current) {
            return switch (kind) {
                case CORRECT -> Versioning.expect(current);
                case STALE -> Versioning.expect(Math.max(0, current - value));
                case FIXED -> Versioning.expect(value);
                case HUGE -> Versioning.expect(Long.MAX_VALUE);
                case ANY -> Versioning.ANY;
                case NONE -> Versioning.NO_VERSIONING;
            };
        }

        @Override
        public String toString() {
            return kind == VersionKind.STALE || kind == VersionKind.FIXED ? kind + "(" + value + ")" : kind.toString();
        }
    }

    /** Whether the appended events carry versions, and whether those are the ones they will get. */
    enum Carry { NONE, RIGHT, WRONG }

    /** Appends wrapped events. */
    record Append(TenantId tenant, StreamId stream, VersionSpec versioning, Carry carry, List<WrappedEvent<?>> events)
            implements Operation, Programs.Shrinkable<Operation> {

        @Override
        public Call resolve(ModelRun run) {
            long current = run.currentVersion(tenant, stream);
            Versioning resolved = versioning.resolve(current);
            long base = resolved instanceof Versioning.Expected expected ? expected.version() : current;
            List<WrappedEvent<?>> sent = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                Long version = switch (carry) {
                    case NONE -> null;
                    case RIGHT -> base + i + 1;
                    case WRONG -> base + i + 2;
                };
                sent.add(events.get(i).withVersion(version));
            }
            Call call = appendCall(tenant, stream, resolved, sent);
            run.remember(call);
            return call;
        }

        @Override
        public List<Operation> simpler() {
            List<Operation> simpler = new ArrayList<>();
            if (events.size() > 1) {
                simpler.add(new Append(tenant, stream, versioning, carry, events.subList(0, 1)));
            }
            if (carry != Carry.NONE) {
                simpler.add(new Append(tenant, stream, versioning, Carry.NONE, events));
            }
            if (versioning.kind() != VersionKind.CORRECT) {
                simpler.add(new Append(tenant, stream, new VersionSpec(VersionKind.CORRECT, 0), carry, events));
            }
            if (events.stream().anyMatch(event -> !event.context().equals(Context.empty()))) {
                simpler.add(new Append(tenant, stream, versioning, carry,
                        events.stream().<WrappedEvent<?>>map(event -> event.withContext(Context.empty())).toList()));
            }
            return simpler;
        }

        @Override
        public String toString() {
            return "append " + tenant + " " + stream + " " + versioning + " carry=" + carry + " " + events;
        }
    }

    /** Appends bare events, which the store wraps with fresh ids. */
    record AppendBare(TenantId tenant, StreamId stream, VersionSpec versioning, List<Object> events) implements Operation {

        @Override
        public Call resolve(ModelRun run) {
            Versioning resolved = versioning.resolve(run.currentVersion(tenant, stream));
            Object[] rest = events.subList(1, events.size()).toArray();
            return new Call("appendEvents " + tenant + " " + stream + " " + resolved + " " + events, root -> {
                ModelRun.scoped(root, tenant).appendEvents(stream, resolved, events.get(0), rest);
                return "appended";
            });
        }

        @Override
        public String toString() {
            return "appendEvents " + tenant + " " + stream + " " + versioning + " " + events;
        }
    }

    /** Sends an earlier append again, exactly as it was sent: a retry after a lost acknowledgement. */
    record Retry(int which) implements Operation {

        @Override
        public Call resolve(ModelRun run) {
            Call earlier = run.earlierAppend(which);
            if (earlier == null) {
                return new Call("retry (no earlier append)", root -> "nothing to retry");
            }
            return new Call("retry of [" + earlier.description() + "]", earlier.action());
        }
    }

    /** Loads a stream, or a range of it. */
    record Load(TenantId tenant, StreamId stream, @Nullable Long start, @Nullable Long stop) implements Operation {

        @Override
        public Call resolve(ModelRun run) {
            return new Call(toString(), root -> run.seen(ModelRun.scoped(root, tenant).loadStream(stream, start, stop)));
        }

        @Override
        public String toString() {
            return "load " + tenant + " " + stream + " [" + start + ", " + stop + ")";
        }
    }

    /** Deletes a stream. */
    record Delete(TenantId tenant, StreamId stream) implements Operation {

        @Override
        public Call resolve(ModelRun run) {
            return new Call(toString(), root -> {
                ModelRun.scoped(root, tenant).deleteStream(stream);
                return "deleted";
            });
        }

        @Override
        public String toString() {
            return "delete " + tenant + " " + stream;
        }
    }

    /** Saves a snapshot at the current version plus {@code offset}, or at a fixed version, or without one. */
    record Snapshot(TenantId tenant, StreamId stream, boolean relative, long version, boolean withoutVersion,
            WrappedEvent<?> snapshot) implements Operation {

        @Override
        public Call resolve(ModelRun run) {
            Long at = withoutVersion ? null : relative ? run.currentVersion(tenant, stream) + version : version;
            WrappedEvent<?> sent = snapshot.withVersion(at);
            return new Call("snapshot " + tenant + " " + stream + " " + sent, root -> {
                ModelRun.scoped(root, tenant).saveSnapshot(stream, sent);
                return "saved";
            });
        }

        @Override
        public String toString() {
            return "snapshot " + tenant + " " + stream + (withoutVersion ? " without version"
                    : relative ? " at current" + (version >= 0 ? "+" : "") + version : " at " + version)
                    + " " + snapshot;
        }
    }

    /** Whether the store holds any event. */
    record ReadPosition() implements Operation {

        @Override
        public Call resolve(ModelRun run) {
            return new Call(toString(), root -> root.position().isPresent() ? "some position" : "no position");
        }

        @Override
        public String toString() {
            return "position";
        }
    }

    private static Call appendCall(TenantId tenant, StreamId stream, Versioning versioning, List<WrappedEvent<?>> events) {
        return new Call("append " + tenant + " " + stream + " " + versioning + " " + events, root -> {
            ModelRun.scoped(root, tenant).append(stream, versioning, events);
            return "appended";
        });
    }

}
