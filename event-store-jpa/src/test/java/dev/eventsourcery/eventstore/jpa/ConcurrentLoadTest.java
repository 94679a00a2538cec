package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.InvalidSnapshotException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.SubscriptionBuilder;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * Concurrency under load: 16 threads for a fixed time ({@code -Deventstore.load.seconds}, 5 by default)
 * mix appends with expected versions (retried on conflict), {@code ANY} appends, loads, snapshots and
 * deletes over 20 streams in 3 tenants. Afterwards the stored events are checked against what every
 * call was told: each acknowledged append stored exactly once (or removed whole by a delete that may have
 * followed it), versions contiguous per stream, nothing refused stored, nothing stored that no call
 * wrote, and every conflict a {@link ConcurrentStreamWriteException}.
 *
 * <p>Four subscriptions read the log meanwhile: all tenants, one tenant, one category, and one started
 * mid-run after a checkpoint another had delivered. Each must have delivered, once and in increasing
 * positions, exactly what its filter admits: every stored event after its checkpoint, and no event that
 * no acknowledged append wrote; every stream's events in version order.
 */
class ConcurrentLoadTest {

    private static final int THREADS = 16;
    private static final List<TenantId> TENANTS = List.of(TenantId.DEFAULT, TenantId.of("tenant-1"), TenantId.of("tenant-2"));
    private static final List<StreamId> STREAMS = streams();

    private static List<StreamId> streams() {
        List<StreamId> streams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            streams.add(StreamId.named("load-" + i));
            streams.add(StreamId.named("load-" + i).withCategory("category"));
        }
        return streams;
    }

    /** A stream in a tenant: what a census row and an append are keyed by. */
    record Key(TenantId tenant, StreamId stream) {
    }

    /** One logical append and how it ended; its attempts share the event ids. */
    record Append(Key key, List<UUID> ids, @Nullable Long expected, long start, long end, boolean acknowledged) {
    }

    /** A delete that succeeded, with when it ran. */
    record Delete(Key key, long start, long end) {
    }

    /** Totals of a run. */
    static final class Counts {
        final AtomicLong operations = new AtomicLong();
        final AtomicLong expectedAppends = new AtomicLong();
        final AtomicLong anyAppends = new AtomicLong();
        final AtomicLong loads = new AtomicLong();
        final AtomicLong snapshots = new AtomicLong();
        final AtomicLong deletes = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        final AtomicLong refusedSnapshots = new AtomicLong();
        final AtomicLong givenUp = new AtomicLong();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyAcknowledgedAppendIsStoredExactlyOnceUnderConcurrentLoad(TestDatabase database) throws Exception {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        EventStore root = StorageEventStore.builder(context.storage()).build();
        long seconds = Long.getLong("eventstore.load.seconds", 5);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Append> appends = Collections.synchronizedList(new ArrayList<>());
        List<Delete> deletes = Collections.synchronizedList(new ArrayList<>());
        List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        Counts counts = new Counts();

        LogReaders readers = new LogReaders(root);
        readers.start("all tenants", root.subscribe().inAllTenants(), 0, key -> true);
        readers.start("tenant-1", root.scopedForTenant("tenant-1").subscribe(), 0,
                key -> key.tenant().equals(TenantId.of("tenant-1")));
        readers.start("category", root.subscribe().inAllTenants().toCategory("category"), 0,
                key -> "category".equals(key.stream().category()));
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        later.schedule(() -> {
            long checkpoint = readers.randomDeliveredPosition("all tenants");
            readers.start("resumed after " + checkpoint, root.subscribe().inAllTenants().after(new Position(checkpoint)),
                    checkpoint, key -> true);
        }, seconds * 1000 / 3, TimeUnit.MILLISECONDS);

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    Key key = new Key(TENANTS.get(random.nextInt(TENANTS.size())), STREAMS.get(random.nextInt(STREAMS.size())));
                    EventStore store = root.scopedForTenant(key.tenant());
                    int kind = random.nextInt(100);
                    counts.operations.incrementAndGet();
                    try {
                        if (kind < 35) {
                            counts.expectedAppends.incrementAndGet();
                            appends.add(appendWithRetry(store, key, true, counts, failures));
                        } else if (kind < 55) {
                            counts.anyAppends.incrementAndGet();
                            appends.add(appendWithRetry(store, key, false, counts, failures));
                        } else if (kind < 82) {
                            counts.loads.incrementAndGet();
                            checkContiguous(key, store.loadStream(key.stream()), anomalies);
                        } else if (kind < 94) {
                            counts.snapshots.incrementAndGet();
                            List<WrappedEvent<?>> events = store.loadStream(key.stream());
                            if (!events.isEmpty()) {
                                long version = events.get(events.size() - 1).version();
                                try {
                                    store.saveSnapshot(key.stream(), WrappedEvent.wrap(new Total(version, (int) version), version));
                                } catch (InvalidSnapshotException e) {
                                    // deleted meanwhile: the snapshot is refused, nothing else
                                    counts.refusedSnapshots.incrementAndGet();
                                    failures.computeIfAbsent("snapshot: " + e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                                }
                            }
                        } else {
                            counts.deletes.incrementAndGet();
                            long start = System.nanoTime();
                            store.deleteStream(key.stream());
                            deletes.add(new Delete(key, start, System.nanoTime()));
                        }
                    } catch (RuntimeException e) {
                        anomalies.add("unexpected " + e.getClass().getName() + " on " + key + ": " + e.getMessage()
                                + (e.getCause() == null ? "" : " (cause: " + e.getCause().getMessage() + ")"));
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(seconds + 120, TimeUnit.SECONDS);
        }
        threads.shutdown();
        later.shutdown();
        later.awaitTermination(10, TimeUnit.SECONDS);
        readers.finish();

        Map<Key, List<Object[]>> census = census(context);
        verify(census, appends, deletes, anomalies);
        Set<UUID> acknowledged = new HashSet<>();
        appends.stream().filter(Append::acknowledged).forEach(append -> acknowledged.addAll(append.ids()));
        readers.verify(logCensus(context), census, acknowledged, anomalies);
        assertThat(context.jdbc.queryForObject("select count(*) from es_pending", Integer.class))
                .as("every committed event numbered").isZero();
        long stored = census.values().stream().mapToLong(List::size).sum();
        System.out.printf("%s under load: %d threads for %d s over %d streams in %d tenants: %d operations "
                        + "(%d expected-version appends, %d ANY appends, %d loads, %d snapshots, %d deletes), "
                        + "%d conflicts (all ConcurrentStreamWriteException, retried), %d appends given up after 20 conflicts, "
                        + "%d snapshots refused after a concurrent delete, %d events stored; failures by type %s; anomalies: %d%n",
                database, THREADS, seconds, STREAMS.size(), TENANTS.size(), counts.operations.get(),
                counts.expectedAppends.get(), counts.anyAppends.get(), counts.loads.get(), counts.snapshots.get(),
                counts.deletes.get(), counts.conflicts.get(), counts.givenUp.get(), counts.refusedSnapshots.get(), stored,
                failures, anomalies.size());
        System.out.printf("%s log readers: %s%n", database, readers.summary());
        assertThat(anomalies).isEmpty();
        assertThat(counts.expectedAppends.get() + counts.anyAppends.get()).isPositive();
        assertThat(appends.stream().filter(Append::acknowledged)).isNotEmpty();
    }

    /** Appends 1 to 3 fresh events, retrying the same events after a conflict (with the reloaded version). */
    private static Append appendWithRetry(EventStore store, Key key, boolean expected, Counts counts,
            Map<String, AtomicLong> failures) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<WrappedEvent<?>> events = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            events.add(WrappedEvent.wrap(new NumberAdded(random.nextInt())));
        }
        List<UUID> ids = events.stream().map(WrappedEvent::uuid).toList();
        long start = System.nanoTime();
        for (int attempt = 0; attempt < 20; attempt++) {
            Long version = null;
            try {
                if (expected) {
                    List<WrappedEvent<?>> loaded = store.loadStream(key.stream());
                    version = loaded.isEmpty() ? 0 : loaded.get(loaded.size() - 1).version();
                    store.append(key.stream(), version, events);
                } else {
                    store.append(key.stream(), Versioning.ANY, events);
                }
                return new Append(key, ids, version, start, System.nanoTime(), true);
            } catch (ConcurrentStreamWriteException e) {
                counts.conflicts.incrementAndGet();
                failures.computeIfAbsent("append: " + e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
            }
        }
        counts.givenUp.incrementAndGet();
        return new Append(key, ids, null, start, System.nanoTime(), false);
    }

    /** A load shows the latest snapshot, then events with consecutive versions after it. */
    private static void checkContiguous(Key key, List<WrappedEvent<?>> loaded, List<String> anomalies) {
        for (int i = 1; i < loaded.size(); i++) {
            if (loaded.get(i).version() != loaded.get(i - 1).version() + 1) {
                anomalies.add("load of " + key + " skips from version " + loaded.get(i - 1).version() + " to "
                        + loaded.get(i).version());
            }
        }
    }

    /** A stored event's place in the log. */
    record Logged(long position, UUID id, Key key) {
    }

    /** Every event of the log, in position order. */
    private static List<Logged> logCensus(JpaTestContext context) {
        Map<String, StreamId> byText = new HashMap<>();
        for (StreamId stream : STREAMS) {
            byText.put(stream.uuid() + "/" + (stream.category() == null ? "" : stream.category()), stream);
        }
        return context.jdbc.query("select l.position, e.event_uuid, s.tenant_id, s.stream_uuid, s.category from es_log l "
                + "join es_event e on e.seq = l.seq join es_stream s on s.id = e.stream_id order by l.position",
                (row, index) -> new Logged(row.getLong(1), row.getObject(2, UUID.class), new Key(
                        row.getString(3).isEmpty() ? TenantId.DEFAULT : TenantId.of(row.getString(3)),
                        byText.get(row.getObject(4, UUID.class) + "/" + row.getString(5)))));
    }

    /** Subscriptions that read the log while the load runs, each on a thread of its own. */
    static final class LogReaders {

        /** One subscription, what it admits and what it delivered. */
        record Reader(String name, long checkpoint, Predicate<Key> admits, List<RecordedEvent<?>> delivered,
                Subscription subscription) {
        }

        private final EventStore root;
        private final List<Reader> readers = Collections.synchronizedList(new ArrayList<>());
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final List<Future<?>> running = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean stopping;

        LogReaders(EventStore root) {
            this.root = root;
        }

        void start(String name, SubscriptionBuilder builder, long checkpoint, Predicate<Key> admits) {
            Reader reader = new Reader(name, checkpoint, admits, Collections.synchronizedList(new ArrayList<>()),
                    builder.build());
            readers.add(reader);
            running.add(threads.submit(() -> {
                while (!stopping) {
                    reader.delivered().addAll(reader.subscription().poll(50, Duration.ofMillis(200)));
                }
                return null;
            }));
        }

        /** A position the named reader delivered, at random; 0 when it delivered none yet. */
        long randomDeliveredPosition(String name) {
            Reader reader = readers.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
            List<RecordedEvent<?>> delivered = List.copyOf(reader.delivered());
            return delivered.isEmpty() ? 0
                    : delivered.get(ThreadLocalRandom.current().nextInt(delivered.size())).position().value();
        }

        /** Stops the threads, then reads what is left of the log once every committed event is numbered. */
        void finish() throws Exception {
            stopping = true;
            for (Future<?> reader : running) {
                reader.get(60, TimeUnit.SECONDS);
            }
            threads.shutdown();
            root.position();
            for (Reader reader : readers) {
                List<RecordedEvent<?>> polled;
                while (!(polled = reader.subscription().poll(500, Duration.ZERO)).isEmpty()) {
                    reader.delivered().addAll(polled);
                }
                reader.subscription().close();
            }
        }

        String summary() {
            return readers.stream().map(reader -> reader.name() + ": " + reader.delivered().size()).toList().toString();
        }

        void verify(List<Logged> log, Map<Key, List<Object[]>> census, Set<UUID> acknowledged, List<String> anomalies) {
            assertThat(readers).hasSize(4);
            for (Reader reader : readers) {
                String name = "subscription '" + reader.name() + "'";
                Set<UUID> seen = new HashSet<>();
                long last = reader.checkpoint();
                for (RecordedEvent<?> event : reader.delivered()) {
                    UUID id = event.wrappedEvent().uuid();
                    Key key = new Key(event.tenantId(), event.streamId());
                    if (event.position().value() <= last) {
                        anomalies.add(name + " delivered position " + event.position().value() + " after " + last);
                    }
                    last = event.position().value();
                    if (!seen.add(id)) {
                        anomalies.add(name + " delivered event " + id + " twice");
                    }
                    if (!acknowledged.contains(id)) {
                        anomalies.add(name + " delivered event " + id + ", which no acknowledged append wrote");
                    }
                    if (!reader.admits().test(key)) {
                        anomalies.add(name + " delivered event " + id + " of " + key + ", which its filter excludes");
                    }
                }
                for (Logged logged : log) {
                    if (logged.position() > reader.checkpoint() && reader.admits().test(logged.key())
                            && !seen.contains(logged.id())) {
                        anomalies.add(name + " skipped event " + logged.id() + " at position " + logged.position());
                    }
                }
                for (Map.Entry<Key, List<Object[]>> stream : census.entrySet()) {
                    List<UUID> stored = stream.getValue().stream().map(row -> (UUID) row[1]).toList();
                    List<UUID> deliveredOfStream = reader.delivered().stream().map(event -> event.wrappedEvent().uuid())
                            .filter(stored::contains).toList();
                    if (!stored.containsAll(deliveredOfStream) || !inOrder(deliveredOfStream, stored)) {
                        anomalies.add(name + " delivered the events of " + stream.getKey() + " out of version order");
                    }
                }
            }
        }

        private static boolean inOrder(List<UUID> delivered, List<UUID> stored) {
            int previous = -1;
            for (UUID id : delivered) {
                int index = stored.indexOf(id);
                if (index <= previous) {
                    return false;
                }
                previous = index;
            }
            return true;
        }
    }

    /** Every stored event by stream, in version order: tenant, stream uuid, category, version, event id. */
    private static Map<Key, List<Object[]>> census(JpaTestContext context) {
        Map<String, StreamId> byText = new HashMap<>();
        for (StreamId stream : STREAMS) {
            byText.put(stream.uuid() + "/" + (stream.category() == null ? "" : stream.category()), stream);
        }
        Map<Key, List<Object[]>> census = new HashMap<>();
        context.jdbc.query("select s.tenant_id, s.stream_uuid, s.category, e.version, e.event_uuid, s.version "
                + "from es_event e join es_stream s on s.id = e.stream_id order by s.id, e.version", row -> {
            String tenant = row.getString(1);
            StreamId stream = byText.get(row.getObject(2, UUID.class) + "/" + row.getString(3));
            Key key = new Key(tenant.isEmpty() ? TenantId.DEFAULT : TenantId.of(tenant), stream);
            census.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new Object[] {row.getLong(4), row.getObject(5, UUID.class), row.getLong(6)});
        });
        return census;
    }

    private static void verify(Map<Key, List<Object[]>> census, List<Append> appends, List<Delete> deletes,
            List<String> anomalies) {
        Map<UUID, Key> storedIn = new HashMap<>();
        Map<UUID, Long> versionOf = new HashMap<>();
        for (Map.Entry<Key, List<Object[]>> stream : census.entrySet()) {
            List<Object[]> rows = stream.getValue();
            for (int i = 0; i < rows.size(); i++) {
                long version = (Long) rows.get(i)[0];
                UUID id = (UUID) rows.get(i)[1];
                if (version != i + 1) {
                    anomalies.add(stream.getKey() + " has version " + version + " at position " + (i + 1));
                }
                if (storedIn.put(id, stream.getKey()) != null) {
                    anomalies.add("event " + id + " stored twice");
                }
                versionOf.put(id, version);
            }
            long streamVersion = (Long) rows.get(0)[2];
            if (streamVersion != rows.size()) {
                anomalies.add(stream.getKey() + " is at version " + streamVersion + " with " + rows.size() + " events");
            }
        }
        Set<UUID> written = ConcurrentHashMap.newKeySet();
        for (Append append : appends) {
            written.addAll(append.ids());
            long present = append.ids().stream().filter(storedIn::containsKey).count();
            if (!append.acknowledged()) {
                if (present > 0) {
                    anomalies.add("refused append to " + append.key() + " stored " + present + " event(s)");
                }
                continue;
            }
            if (present == 0) {
                boolean deletedAfter = deletes.stream()
                        .anyMatch(delete -> delete.key().equals(append.key()) && delete.end() > append.start());
                if (!deletedAfter) {
                    anomalies.add("acknowledged append to " + append.key() + " lost, and no delete followed it");
                }
                continue;
            }
            if (present != append.ids().size()) {
                anomalies.add("acknowledged append to " + append.key() + " partly stored: " + present + " of " + append.ids().size());
                continue;
            }
            long first = versionOf.get(append.ids().get(0));
            for (int i = 0; i < append.ids().size(); i++) {
                UUID id = append.ids().get(i);
                if (!storedIn.get(id).equals(append.key())) {
                    anomalies.add("event " + id + " appended to " + append.key() + " is stored in " + storedIn.get(id));
                }
                if (versionOf.get(id) != first + i) {
                    anomalies.add("events of one append to " + append.key() + " are not contiguous");
                }
            }
            if (append.expected() != null && first != append.expected() + 1) {
                anomalies.add("append to " + append.key() + " expecting " + append.expected() + " stored from version " + first);
            }
        }
        for (UUID id : storedIn.keySet()) {
            if (!written.contains(id)) {
                anomalies.add("event " + id + " stored in " + storedIn.get(id) + " was never appended");
            }
        }
    }
}
