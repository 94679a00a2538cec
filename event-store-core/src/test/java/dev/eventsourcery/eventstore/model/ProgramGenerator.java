package dev.eventsourcery.eventstore.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNoted;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;
import dev.eventsourcery.eventstore.model.Operation.Carry;
import dev.eventsourcery.eventstore.model.Operation.VersionKind;
import dev.eventsourcery.eventstore.model.Operation.VersionSpec;

/**
 * Generates random programs over a small world — three tenants, a handful of streams that share ids,
 * names and categories in tricky ways, a small pool of reused event ids — so that programs collide:
 * conflicts, duplicates, retries, versioning mismatches, snapshots and deletes of the same streams.
 */
public final class ProgramGenerator {

    /** The tenants programs work in. */
    public static final List<TenantId> TENANTS = List.of(TenantId.DEFAULT, TenantId.of("acme"), TenantId.of("acme-2"));

    /** The streams programs work on; the last one has a name no backend can store. */
    public static final List<StreamId> STREAMS;

    static {
        StreamId order = StreamId.named("order-1");
        STREAMS = List.of(
                order,
                StreamId.of(order.uuid()),                       // the same stream, addressed by uuid
                order.withCategory("orders"),                    // another stream: same name, a category
                order.withCategory("orders "),                   // and another: trailing space
                StreamId.of(7L),
                StreamId.of(7L).withCategory("Orders"),
                StreamId.named("Ünïcødé 🦄 '\"\\; drop table es_event; -- %_").withCategory("cat'\"%_{}[]"),
                StreamId.named("nul\u0000in-name"));
    }

    /** Pieces of text that break naive SQL, JSON and string handling. */
    private static final List<String> HOSTILE = List.of("'", "''", "\"", "\\", "\\\\", "\\u0000", ";", "--", "/*", "*/",
            "%", "_", "{", "}", "[", "]", ":", ",", "🦄", "𝄞", "ż", "\t", "\n", "\r", " ", "'; drop table es_event; --",
            "${x}", "$1", "?", ":name", "<script>", "\u2028", "\uFEFF", "null", "true", "1e10", "é", "\u0301", "ǅ");

    /** Event ids that programs reuse on purpose, to provoke duplicates. */
    private static final List<UUID> POOL = List.of(new UUID(0x5EED, 1), new UUID(0x5EED, 2), new UUID(0x5EED, 3),
            new UUID(0x5EED, 4));

    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    private final SplittableRandom random;
    private final boolean versionedOnly;

    private ProgramGenerator(SplittableRandom random, boolean versionedOnly) {
        this.random = random;
        this.versionedOnly = versionedOnly;
    }

    /** A program of 1 to {@code maxSteps} steps, in every tenant. */
    public static List<Operation> program(SplittableRandom random, int maxSteps) {
        return new ProgramGenerator(random, false).steps(maxSteps, null);
    }

    /**
     * A program of 1 to {@code maxSteps} steps, in every tenant, whose appends all ask for versions (expected
     * ones or {@code ANY}): its streams' order is their versions' alone, never the order of the event ids a
     * database hands out, which orders a versionless stream.
     */
    public static List<Operation> versionedProgram(SplittableRandom random, int maxSteps) {
        return new ProgramGenerator(random, true).steps(maxSteps, null);
    }

    /** A program of 1 to {@code maxSteps} steps, all in one tenant. */
    public static List<Operation> programIn(TenantId tenant, SplittableRandom random, int maxSteps) {
        return new ProgramGenerator(random, false).steps(maxSteps, tenant);
    }

    private List<Operation> steps(int maxSteps, @Nullable TenantId only) {
        int length = 1 + random.nextInt(maxSteps);
        List<Operation> steps = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            steps.add(step(only != null ? only : pick(TENANTS)));
        }
        return steps;
    }

    private Operation step(TenantId tenant) {
        StreamId stream = random.nextInt(40) == 0 ? STREAMS.get(STREAMS.size() - 1)
                : STREAMS.get(random.nextInt(STREAMS.size() - 1));
        int kind = random.nextInt(100);
        if (kind < 40) {
            return new Operation.Append(tenant, stream, versionSpec(), carry(), events());
        }
        if (kind < 47) {
            List<Object> bare = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                bare.add(payload());
            }
            return new Operation.AppendBare(tenant, stream, versionSpec(), bare);
        }
        if (kind < 53) {
            return new Operation.Retry(random.nextInt(8));
        }
        if (kind < 75) {
            return new Operation.Load(tenant, stream, bound(), bound());
        }
        if (kind < 81) {
            return new Operation.Delete(tenant, stream);
        }
        if (kind < 96) {
            int snapshot = random.nextInt(10);
            boolean relative = snapshot < 7;
            long version = relative ? random.nextInt(-2, 2) : random.nextInt(-1, 8);
            return new Operation.Snapshot(tenant, stream, relative, version, snapshot == 9, wrap(new Total(random.nextLong(), random.nextInt())));
        }
        return new Operation.ReadPosition();
    }

    private VersionSpec versionSpec() {
        int kind = random.nextInt(100);
        if (kind < 40) {
            return new VersionSpec(VersionKind.CORRECT, 0);
        }
        if (kind < 52) {
            return new VersionSpec(VersionKind.STALE, 1 + random.nextInt(3));
        }
        if (kind < 60) {
            return new VersionSpec(VersionKind.FIXED, random.nextInt(8));
        }
        if (kind < 62) {
            return new VersionSpec(VersionKind.HUGE, 0);
        }
        if (kind < 82 || versionedOnly) {
            return new VersionSpec(VersionKind.ANY, 0);
        }
        return new VersionSpec(VersionKind.NONE, 0);
    }

    private Carry carry() {
        int kind = random.nextInt(10);
        return kind < 7 ? Carry.NONE : kind < 9 ? Carry.RIGHT : Carry.WRONG;
    }

    private List<WrappedEvent<?>> events() {
        List<WrappedEvent<?>> events = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            events.add(wrap(payload()));
        }
        return events;
    }

    private Object payload() {
        return random.nextBoolean() ? new NumberAdded(random.nextInt()) : new TextNoted(text());
    }

    private WrappedEvent<?> wrap(Object payload) {
        int kind = random.nextInt(24);
        // mostly random (version 4) ids; sometimes a reused one, sometimes any 128 bits (some of which are refused)
        UUID uuid = kind < 2 ? pick(POOL) : kind < 4 ? new UUID(random.nextLong(), random.nextLong())
                : new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        return new WrappedEvent<>(payload, null, uuid, createdAt(), context());
    }

    private Instant createdAt() {
        int kind = random.nextInt(100);
        if (kind < 70) {
            return BASE.plusNanos(1000 * random.nextLong(0, 1_000_000_000_000L));
        }
        if (kind < 80) {
            // the hour that repeats when central Europe leaves summer time
            return Instant.parse("2025-10-26T00:00:00Z").plusNanos(1000 * random.nextLong(0, 7_200_000_000L));
        }
        if (kind < 90) {
            // the hour that repeats when the US east coast leaves summer time
            return Instant.parse("2025-11-02T05:00:00Z").plusNanos(1000 * random.nextLong(0, 7_200_000_000L));
        }
        return pick(List.of(Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.EPOCH, Instant.parse("0999-12-31T23:59:59.999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("2038-01-19T03:14:08Z")));
    }

    private Context context() {
        if (random.nextInt(10) < 6) {
            return Context.empty();
        }
        Context context = Context.empty();
        if (random.nextBoolean()) {
            context = context.withCorrelationId(new UUID(random.nextLong(), random.nextLong()));
        }
        if (random.nextBoolean()) {
            context = context.withCausationId(new UUID(random.nextLong(), random.nextLong()));
        }
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
            context = context.with(text(), jsonValue(2));
        }
        return context;
    }

    private Object jsonValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> text();
            case 1 -> pick(List.of(0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong()));
            case 2 -> number();
            case 3 -> random.nextBoolean();
            case 4 -> random.nextInt();
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = 0, n = random.nextInt(3); i < n; i++) {
                    list.add(jsonValue(depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0, n = random.nextInt(3); i < n; i++) {
                    map.put(text(), jsonValue(depth - 1));
                }
                yield map;
            }
        };
    }

    private double number() {
        if (random.nextBoolean()) {
            double any = Double.longBitsToDouble(random.nextLong());
            return Double.isFinite(any) ? any : 0.5;
        }
        return pick(List.of(0.0, -0.0, 1.0, 0.1 + 0.2, 1e10, 1.0e20, 1e-7, 1.5e-7, 1e300, 4.9e-324, Double.MAX_VALUE,
                -Double.MIN_NORMAL, 123.456, -2.5e-3, 9007199254740993.0));
    }

    /** Text from hostile pieces, random code points (outside the Basic Multilingual Plane too), rarely NUL. */
    private String text() {
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = random.nextInt(6); i < n; i++) {
            int kind = random.nextInt(100);
            if (kind < 60) {
                text.append(pick(HOSTILE));
            } else if (kind < 90) {
                int codePoint = random.nextInt(0x20, 0x10FFFF);
                text.appendCodePoint(Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF ? 'x' : codePoint);
            } else if (kind < 99) {
                text.append((char) ('a' + random.nextInt(26)));
            } else {
                text.append(random.nextBoolean() ? '\u0000' : '\uD800');
            }
        }
        return text.toString();
    }

    private @Nullable Long bound() {
        int kind = random.nextInt(20);
        return kind < 8 ? null : kind == 8 ? -1L : (long) random.nextInt(9);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
