package dev.eventsourcery.eventstore.spring.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.UnreadableEventException;

/**
 * The application's projections: starts a runner for each when the application context starts, stops them
 * (giving their leases up) when it stops, and carries out the {@link Projections} operations on their rows.
 * The Spring Boot starter creates it for every bean annotated {@link Projection} and every
 * {@link ProjectionDeclaration} bean.
 */
public final class ProjectionRunners implements Projections, SmartLifecycle {

    private final EventStore store;
    private final ProjectionRows rows;
    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final ProjectionSettings settings;
    private final Map<String, ProjectionDefinition> definitions = new LinkedHashMap<>();
    private final Map<String, ProjectionRunner> runners = new LinkedHashMap<>();
    private final boolean autoStartup;
    private final ProjectionObserver observer;
    private volatile boolean running;

    /**
     * Projections over a store whose log lies in the given database.
     *
     * @param store the event store; its default-tenant view reads the log in every tenant
     * @param dataSource the database of the store and of the projections' rows
     * @param transactionManager the manager of the transactions the batches run in, which must bind a
     *     connection of {@code dataSource}
     * @param projections the projections: beans annotated {@link Projection}, and {@link ProjectionDeclaration}s
     * @param autoStartup whether the projections start with the application context
     * @throws IllegalStateException when a bean is not a valid projection, or two share a name
     */
    public ProjectionRunners(EventStore store, DataSource dataSource, PlatformTransactionManager transactionManager,
            ProjectionSettings settings, List<?> projections, boolean autoStartup) {
        this(store, dataSource, transactionManager, settings, projections, autoStartup, ProjectionObserver.NONE);
    }

    /**
     * Projections over a store whose log lies in the given database, reporting their batches and failures to
     * an observer.
     *
     * @param store the event store; its default-tenant view reads the log in every tenant
     * @param dataSource the database of the store and of the projections' rows
     * @param transactionManager the manager of the transactions the batches run in, which must bind a
     *     connection of {@code dataSource}
     * @param projections the projections: beans annotated {@link Projection}, and {@link ProjectionDeclaration}s
     * @param autoStartup whether the projections start with the application context
     * @param observer what the runners report their batches and failures to; {@link ProjectionObserver#NONE}
     *     for nothing
     * @throws IllegalStateException when a bean is not a valid projection, or two share a name
     */
    public ProjectionRunners(EventStore store, DataSource dataSource, PlatformTransactionManager transactionManager,
            ProjectionSettings settings, List<?> projections, boolean autoStartup, ProjectionObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.store = Objects.requireNonNull(store, "store").scopedForTenant();
        this.rows = new ProjectionRows(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.dataSource = dataSource;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.autoStartup = autoStartup;
        for (Object bean : projections) {
            ProjectionDefinition definition = bean instanceof ProjectionDeclaration declaration
                    ? ProjectionDefinition.of(declaration) : ProjectionDefinition.of(bean);
            ProjectionDefinition other = definitions.putIfAbsent(definition.name(), definition);
            if (other != null) {
                throw new IllegalStateException("Two projections are named '" + definition.name() + "': "
                        + definition.beanClass().getName() + " and " + other.beanClass().getName());
            }
        }
    }

    @Override
    public void start() {
        if (running) {
            return;
        }
        readCommittedBatches();
        for (ProjectionDefinition definition : definitions.values()) {
            long start = definition.settings().startAt() == StartPosition.NOW
                    ? store.position().map(Position::value).orElse(0L) : 0;
            rows.createIfAbsent(definition.name(), start);
            ProjectionRunner runner = new ProjectionRunner(definition, store, rows, transactions, settings, observer);
            runners.put(definition.name(), runner);
            runner.start();
        }
        running = true;
    }

    /**
     * Makes the batches run at read committed when the database's connections default to a stricter level. A
     * batch ends with a compare-and-set of the projection's row, which the lease's renewal updates while the
     * batch runs: at PostgreSQL's repeatable read or serializable (and H2's serializable) that update would fail
     * every batch as a serialization failure. At the default of read committed nothing is set, which would cost
     * PostgreSQL a round trip per batch to read the level.
     */
    private void readCommittedBatches() {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.getTransactionIsolation() > Connection.TRANSACTION_READ_COMMITTED) {
                transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the database's isolation level for the projections: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        List<Thread> stopping = new ArrayList<>();
        for (ProjectionRunner runner : runners.values()) {
            Thread thread = new Thread(runner::stop, "stop-projection");
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        runners.clear();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    /** Starts after the application's other lifecycle beans and stops before them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /** How the projections run. */
    public ProjectionSettings settings() {
        return settings;
    }

    @Override
    public List<String> names() {
        return List.copyOf(definitions.keySet());
    }

    @Override
    public List<ProjectionStatus> statuses() {
        List<ProjectionStatus> statuses = new ArrayList<>();
        for (String name : definitions.keySet()) {
            status(name).ifPresent(statuses::add);
        }
        return statuses;
    }

    @Override
    public Optional<ProjectionStatus> status(String name) {
        if (!definitions.containsKey(name)) {
            return Optional.empty();
        }
        long head = store.position().map(Position::value).orElse(0L);
        Optional<ProjectionRows.Row> found = rows.find(name);
        if (found.isEmpty()) {
            return Optional.of(new ProjectionStatus(name, ProjectionState.RUNNING, 0, head, head,
                    Duration.ZERO, null, null, null, 0));
        }
        ProjectionRows.Row row = found.get();
        long lag = Math.max(0, head - row.position());
        Duration timeLag = Duration.ZERO;
        if (lag > 0) {
            try (var next = store.subscribe().inAllTenants().after(new Position(row.position())).build()) {
                List<RecordedEvent<?>> events = next.poll(1, Duration.ZERO);
                if (!events.isEmpty()) {
                    Duration waiting = Duration.between(events.get(0).wrappedEvent().createdAt(), Instant.now());
                    timeLag = waiting.isNegative() ? Duration.ZERO : waiting;
                }
            } catch (UnreadableEventException e) {
                // the projection is stuck on it, or about to be: its status (the failure, the dead letters) says so,
                // and the time lag is not known
            }
        }
        String owner = row.owner() != null && row.leaseUntil() >= System.currentTimeMillis() ? row.owner() : null;
        return Optional.of(new ProjectionStatus(name, row.state(), row.position(), head, lag, timeLag, owner,
                row.error(), row.errorPosition(), rows.deadLetterCount(name)));
    }

    @Override
    public void pause(String name) {
        changeState(name, ProjectionState.PAUSED);
    }

    @Override
    public void resume(String name) {
        changeState(name, ProjectionState.RUNNING);
    }

    private void changeState(String name, ProjectionState state) {
        definition(name);
        rows.createIfAbsent(name, 0);
        rows.state(name, state);
    }

    @Override
    public void reset(String name, Position position) {
        Objects.requireNonNull(position, "position");
        ProjectionDefinition definition = definition(name);
        if (position.value() < 0) {
            throw new IllegalArgumentException("A projection cannot be reset to a negative position: " + position);
        }
        rows.createIfAbsent(name, position.value());
        transactions.executeWithoutResult(status -> {
            rows.reset(name, position.value());
            definition.reset(position);
        });
    }

    @Override
    public List<DeadLetter> deadLetters(String name) {
        definition(name);
        return rows.deadLetters(name);
    }

    @Override
    public void replay(String name, long position) {
        ProjectionDefinition definition = definition(name);
        if (rows.deadLetters(name).stream().noneMatch(letter -> letter.position() == position)) {
            throw new IllegalArgumentException("Projection '" + name + "' has no dead letter at position " + position);
        }
        RecordedEvent<?> event;
        try (var reading = store.subscribe().inAllTenants().after(new Position(position - 1)).build()) {
            List<RecordedEvent<?>> events = reading.poll(1, Duration.ZERO);
            if (events.isEmpty() || events.get(0).position().value() != position) {
                throw new IllegalArgumentException("The event at position " + position + " of dead letter of "
                        + "projection '" + name + "' is no longer in the log (its stream was deleted)");
            }
            event = events.get(0);
        }
        transactions.executeWithoutResult(status -> {
            if (!rows.removeDeadLetter(name, position)) {
                throw new IllegalArgumentException("Projection '" + name + "' has no dead letter at position "
                        + position);
            }
            definition.handle(List.of(event));
        });
    }

    private ProjectionDefinition definition(String name) {
        ProjectionDefinition definition = definitions.get(Objects.requireNonNull(name, "name"));
        if (definition == null) {
            throw new IllegalArgumentException("No projection is named '" + name + "'; this application has "
                    + definitions.keySet());
        }
        return definition;
    }
}
