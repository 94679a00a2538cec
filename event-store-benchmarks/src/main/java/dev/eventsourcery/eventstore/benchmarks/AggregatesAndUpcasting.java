package dev.eventsourcery.eventstore.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.Aggregate;
import dev.eventsourcery.eventstore.aggregate.AggregateRepository;
import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.aggregate.UnitOfWork;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * The aggregates step, on tables of its own (as P1 and O1), two measurements in interleaved rounds on the same
 * tables, medians of the measured rounds:
 *
 * <ul>
 *   <li><b>S4 upcast</b>: loading a stream of S4's length whose every {@code MoneyDeposited} is stored at schema
 *       version 1 and read as {@link MoneyDepositedV2} through one upcaster, beside the same load of a stream stored
 *       at version 2 by the same store (no upcaster runs), and beside S4's own load (version 1 read by a store
 *       without upcasters), {@code bench.upcastLoadsPerRound} loads per round. The version-1 rows are written by a
 *       store whose registry knows version 1.</li>
 *   <li><b>S9</b>: a command on an aggregate whose stream holds {@code bench.aggregateStreamLength} events, no
 *       snapshot: load, fold, decide one event, append it with the loaded version; by hand with the store's API
 *       and a plain loop, and through {@link AggregateRepository#update} with the same fold and decision as an
 *       {@link AggregateType} on {@link UnitOfWork#direct()}. Each round works on aggregates written for it, one
 *       command each, so that every command of either contender meets a stream of the same length.</li>
 * </ul>
 */
final class AggregatesAndUpcasting {

    static final String AS_IS = "as in S4";
    static final String CURRENT = "stored at version 2";
    static final String UPCAST = "upcast from version 1";
    static final String BY_HAND = "by hand";
    static final String REPOSITORY = "repository";

    /** S9's target: the repository's time per command over the time by hand. */
    static final double REPOSITORY_TARGET = 1.10;

    /** The category of the accounts' streams, for both S9 contenders. */
    private static final String CATEGORY = "account";

    /**
     * The step's figures on one database.
     *
     * @param streamLength S4 upcast: events in each loaded stream
     * @param loadsPerRound S4 upcast: loads per round and contender
     * @param loadMillis S4 upcast: ms per load by contender, one figure per measured round, in round order
     * @param aggregateLength S9: events in an aggregate's stream when a command loads it
     * @param commandsPerRound S9: commands per round and contender, each on an aggregate of its own
     * @param commandMicros S9: µs per command by contender, one figure per measured round, in round order
     */
    record Result(int streamLength, int loadsPerRound, Map<String, List<Double>> loadMillis, int aggregateLength,
            int commandsPerRound, Map<String, List<Double>> commandMicros) {

        /** S4 upcast: the contender's median ms per load. */
        double load(String contender) {
            return Benchmark.median(loadMillis.get(contender));
        }

        /** S9: the contender's median µs per command. */
        double command(String contender) {
            return Benchmark.median(commandMicros.get(contender));
        }

        /** What a load through the upcaster costs over the same load of events stored at the current version. */
        double upcastCost() {
            return load(UPCAST) / load(CURRENT);
        }

        /** What a command through the repository costs over the same command by hand. */
        double repositoryCost() {
            return command(REPOSITORY) / command(BY_HAND);
        }

        /** {@link #upcastCost()} in each measured round: the two loads of a round ran next to each other. */
        List<Double> upcastCostByRound() {
            return byRound(loadMillis, UPCAST, CURRENT);
        }

        /** {@link #repositoryCost()} in each measured round. */
        List<Double> repositoryCostByRound() {
            return byRound(commandMicros, REPOSITORY, BY_HAND);
        }

        private static List<Double> byRound(Map<String, List<Double>> rounds, String contender, String reference) {
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < rounds.get(contender).size(); round++) {
                ratios.add(rounds.get(contender).get(round) / rounds.get(reference).get(round));
            }
            return ratios;
        }
    }

    private final Database database;
    private final Settings settings;
    private final PrintStream progress;

    AggregatesAndUpcasting(Database database, Settings settings, PrintStream progress) {
        this.database = database;
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs the step on a new schema, with a pool, persistence unit and event store of its own. */
    Result run() {
        try (HikariDataSource dataSource = database.dataSource("benchmarks-" + database.platform() + "-aggregates")) {
            database.recreateSchema(dataSource);
            try (PersistenceUnit unit = PersistenceUnit.on(database, dataSource);
                    EventStoreContender eventStore = new EventStoreContender(unit, database, dataSource)) {
                // the benchmark's store knows MoneyDeposited at version 1 and has no upcasters; the other store, on
                // the same tables, reads MoneyDeposited as version 2, upcasting version 1
                EventStore plain = eventStore.store();
                EventStore upcasting = StorageEventStore.builder(eventStore.storage())
                        .registry(new EventTypeRegistry().register(MoneyDepositedV2.class))
                        .upcasters(EventUpcasters.of(MoneyDepositedV2.UPCASTER))
                        .build();
                Map<String, List<Double>> loads = measure("S4 upcast", Scenario.Unit.MILLISECONDS_PER_LOAD.label(),
                        upcastLoads(plain, upcasting, new JdbcTemplate(dataSource)), () -> { });
                Commands commands = new Commands(plain, settings.aggregateStreamLength(),
                        settings.aggregateCommands());
                Map<String, List<Double>> perCommand = measure("S9", "µs/command", commands.contenders(), commands::prepare);
                return new Result(settings.loadedStreamLength(), settings.upcastLoadsPerRound(), loads,
                        settings.aggregateStreamLength(), settings.aggregateCommands(), perCommand);
            } finally {
                if (database == Database.H2) {
                    new JdbcTemplate(dataSource).execute("drop all objects");
                }
            }
        }
    }

    /** One contender of a measurement. */
    private interface Contender {

        String name();

        /** One round's work; its figure. */
        double round();
    }

    /**
     * Warm-up and measured rounds, contenders taking turns in an order that rotates from round to round, each
     * round after {@code beforeRound}; the figures of the measured rounds by contender, in the contenders' order.
     */
    private Map<String, List<Double>> measure(String id, String unit, List<Contender> contenders, Runnable beforeRound) {
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        int rounds = settings.warmUpRounds() + settings.measuredRounds();
        for (int round = 0; round < rounds; round++) {
            beforeRound.run();
            StringBuilder line = new StringBuilder();
            for (int turn = 0; turn < contenders.size(); turn++) {
                Contender contender = contenders.get((turn + round) % contenders.size());
                double figure = contender.round();
                if (round >= settings.warmUpRounds()) {
                    figures.computeIfAbsent(contender.name(), name -> new ArrayList<>()).add(figure);
                }
                line.append(String.format("  %s %,.1f", contender.name(), figure));
            }
            progress.printf("%s %s %s %d/%d:%s %s%n", database.title(), id,
                    round < settings.warmUpRounds() ? "warm-up" : "round", round + 1, rounds, line, unit);
        }
        Map<String, List<Double>> measured = new LinkedHashMap<>();
        for (Contender contender : contenders) {
            measured.put(contender.name(), List.copyOf(figures.get(contender.name())));
        }
        return measured;
    }

    /**
     * S4 upcast's contenders, each with a stream of its own written with 100-event appends: S4's load (version 1
     * written and read by the store that knows version 1), a stream written at version 2 and read by the upcasting
     * store, and a stream written at version 1 and read by the upcasting store, every event through the upcaster.
     */
    private List<Contender> upcastLoads(EventStore plain, EventStore upcasting, JdbcTemplate jdbc) {
        int length = settings.loadedStreamLength();
        StreamId asIs = StreamId.of(UUID.randomUUID());
        StreamId atVersion2 = StreamId.of(UUID.randomUUID());
        StreamId atVersion1 = StreamId.of(UUID.randomUUID());
        for (int version = 0; version < length; version += Settings.BATCH) {
            int count = Math.min(Settings.BATCH, length - version);
            plain.append(asIs, version, wrapped(MoneyDeposited::number, version, count));
            upcasting.append(atVersion2, version, wrapped(MoneyDepositedV2::number, version, count));
            plain.append(atVersion1, version, wrapped(MoneyDeposited::number, version, count));
        }
        for (Map.Entry<StreamId, Integer> stored : Map.of(asIs, 1, atVersion2, 2, atVersion1, 1).entrySet()) {
            List<Integer> versions = jdbc.queryForList("select distinct e.schema_version from es_event e "
                    + "join es_stream s on s.id = e.stream_id where s.stream_uuid = ?", Integer.class,
                    stored.getKey().uuid());
            if (!versions.equals(List.of(stored.getValue()))) {
                throw new IllegalStateException("S4 upcast: stream " + stored.getKey() + " holds events at schema "
                        + "versions " + versions + ", not " + stored.getValue());
            }
        }
        // the upcaster gives the stored version-1 deposits what version 2 stores
        Object first = upcasting.loadStream(atVersion1).get(0).event();
        if (!first.equals(MoneyDepositedV2.number(0))) {
            throw new IllegalStateException("S4 upcast read " + first + " instead of " + MoneyDepositedV2.number(0));
        }
        return List.of(new Loads(AS_IS, plain, asIs, length), new Loads(CURRENT, upcasting, atVersion2, length),
                new Loads(UPCAST, upcasting, atVersion1, length));
    }

    /** Deposits {@code first} to {@code first + count - 1}, each wrapped with an id of its own. */
    private static List<WrappedEvent<?>> wrapped(LongFunction<?> deposit, int first, int count) {
        List<WrappedEvent<?>> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(WrappedEvent.wrap(deposit.apply(first + i)));
        }
        return events;
    }

    /** Loads of one whole stream through one store; ms per load. */
    private final class Loads implements Contender {

        private final String name;
        private final EventStore store;
        private final StreamId stream;
        private final int length;

        Loads(String name, EventStore store, StreamId stream, int length) {
            this.name = name;
            this.store = store;
            this.stream = stream;
            this.length = length;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public double round() {
            int loads = settings.upcastLoadsPerRound();
            long start = System.nanoTime();
            for (int i = 0; i < loads; i++) {
                int loaded = store.loadStream(stream).size();
                if (loaded != length) {
                    throw new IllegalStateException("S4 upcast " + name + " loaded " + loaded + " of " + length
                            + " events");
                }
            }
            return (System.nanoTime() - start) / 1e6 / loads;
        }
    }

    /**
     * An account as S9's commands see it: the deposits folded in.
     *
     * @param balanceInCents the sum of the deposits
     * @param deposits how many there were
     */
    record Account(long balanceInCents, long deposits) {

        static final Account OPENED = new Account(0, 0);

        /** The account with one more deposit. */
        Account with(MoneyDeposited deposited) {
            return new Account(balanceInCents + deposited.amountInCents(), deposits + 1);
        }

        /** The decision of a command: the account's next deposit, the one its stream would have next. */
        MoneyDeposited depositNext() {
            if (balanceInCents < 0) {
                throw new IllegalStateException("An account's balance cannot be negative");
            }
            return MoneyDeposited.number(deposits);
        }
    }

    /**
     * S9: fresh aggregates for every round, {@code length} deposits each, and the two ways of running a command on
     * them, each on aggregates of its own.
     */
    private final class Commands {

        private final EventStore store;
        private final int length;
        private final int commands;
        private final List<CommandContender> contenders;

        Commands(EventStore store, int length, int commands) {
            this.store = store;
            this.length = length;
            this.commands = commands;
            AggregateType<Account> type = AggregateType.builder(CATEGORY, Account.class)
                    .initialState(() -> Account.OPENED)
                    .on(MoneyDeposited.class, Account::with)
                    .build();
            AggregateRepository<Account> repository = AggregateRepository.builder(store, type)
                    .unitOfWork(UnitOfWork.direct())
                    .build();
            this.contenders = List.of(new ByHand(store, length), new ThroughRepository(repository, length));
        }

        List<Contender> contenders() {
            return List.copyOf(contenders);
        }

        /**
         * Writes this round's aggregates, all their events in one append each, the contenders' in turn, and numbers
         * them into the log before the round begins, so that no contender's round pays for the numbering.
         */
        void prepare() {
            for (CommandContender contender : contenders) {
                contender.aggregates.clear();
            }
            for (int n = 0; n < commands; n++) {
                for (CommandContender contender : contenders) {
                    UUID id = UUID.randomUUID();
                    List<WrappedEvent<?>> deposits = new ArrayList<>(length);
                    for (int i = 0; i < length; i++) {
                        deposits.add(WrappedEvent.wrap(MoneyDeposited.number(i)));
                    }
                    store.append(StreamId.of(id).withCategory(CATEGORY), 0, deposits);
                    contender.aggregates.add(id);
                }
            }
            store.position();
        }
    }

    /** One way of running S9's command: one command on each of the round's aggregates; µs per command. */
    private abstract static class CommandContender implements Contender {

        final List<UUID> aggregates = new ArrayList<>();
        final int length;

        CommandContender(int length) {
            this.length = length;
        }

        /** Loads the aggregate, decides its next deposit and appends it; the version the append left. */
        abstract long command(UUID id);

        @Override
        public final double round() {
            long start = System.nanoTime();
            for (UUID id : aggregates) {
                long version = command(id);
                if (version != length + 1) {
                    throw new IllegalStateException("S9 " + name() + " left aggregate " + id + " at version " + version
                            + ", not " + (length + 1));
                }
            }
            return (System.nanoTime() - start) / 1e3 / aggregates.size();
        }
    }

    /** The store's API and a plain loop, as one would write a command without the repository. */
    private static final class ByHand extends CommandContender {

        private final EventStore store;

        ByHand(EventStore store, int length) {
            super(length);
            this.store = store;
        }

        @Override
        public String name() {
            return BY_HAND;
        }

        @Override
        long command(UUID id) {
            StreamId stream = StreamId.of(id).withCategory(CATEGORY);
            List<WrappedEvent<?>> events = store.loadStream(stream);
            Account account = Account.OPENED;
            for (WrappedEvent<?> event : events) {
                if (event.event() instanceof MoneyDeposited deposited) {
                    account = account.with(deposited);
                }
            }
            long loaded = events.get(events.size() - 1).version();
            store.append(stream, loaded, WrappedEvent.wrap(account.depositNext()));
            return loaded + 1;
        }
    }

    /** {@link AggregateRepository#update} with the same fold and decision. */
    private static final class ThroughRepository extends CommandContender {

        private final AggregateRepository<Account> repository;

        ThroughRepository(AggregateRepository<Account> repository, int length) {
            super(length);
            this.repository = repository;
        }

        @Override
        public String name() {
            return REPOSITORY;
        }

        @Override
        long command(UUID id) {
            Aggregate<Account> account = repository.update(id, Account::depositNext);
            return account.version();
        }
    }
}
