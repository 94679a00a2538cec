package dev.eventsourcery.eventstore.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.unit.DataSize;

import dev.eventsourcery.eventstore.spring.projection.StartPosition;

/** Configuration of the event store, under the prefix {@code event-store}. */
@ConfigurationProperties("event-store")
public class EventStoreProperties {

    /** Whether to auto-configure the event store. */
    private boolean enabled = true;

    /**
     * Largest event an append accepts: its JSON payload and context together, in UTF-8. A larger event is
     * refused with an IllegalArgumentException before anything is written. Snapshots are not limited.
     */
    private DataSize maxEventSize = DataSize.ofMegabytes(1);

    /**
     * Name of the transaction manager bean whose transactions the event store joins. Needed only when several
     * managers bind a JDBC connection of the application's DataSource and none of them is primary; by default
     * the one manager that does is chosen.
     */
    private @Nullable String transactionManager;

    private final Jdbc jdbc = new Jdbc();

    private final Jpa jpa = new Jpa();

    private final Log log = new Log();

    private final EventTypes eventTypes = new EventTypes();

    private final Web web = new Web();

    private final Projections projections = new Projections();

    private final Metrics metrics = new Metrics();

    private final Outbox outbox = new Outbox();

    private final Aggregates aggregates = new Aggregates();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public DataSize getMaxEventSize() {
        return maxEventSize;
    }

    public void setMaxEventSize(DataSize maxEventSize) {
        this.maxEventSize = maxEventSize;
    }

    public @Nullable String getTransactionManager() {
        return transactionManager;
    }

    public void setTransactionManager(@Nullable String transactionManager) {
        this.transactionManager = transactionManager;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Jpa getJpa() {
        return jpa;
    }

    public Log getLog() {
        return log;
    }

    public EventTypes getEventTypes() {
        return eventTypes;
    }

    /** Schema initialization. */
    public static class Jdbc {

        /**
         * When to create the event store's tables by running the platform's schema script: for an embedded
         * database only, always, or never (the schema is managed elsewhere, for example by the Flyway
         * migrations in classpath:db/event-store/flyway/{vendor} or the Liquibase changelog
         * classpath:db/event-store/liquibase/changelog.xml). The scripts are idempotent.
         */
        private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

        /**
         * Platform of the schema script to run (h2, postgresql or mariadb); detected from the DataSource
         * when not set.
         */
        private @Nullable String platform;

        /** Location of the schema script; @@platform@@ is replaced by the platform. */
        private String schema = "classpath:dev/eventsourcery/eventstore/jpa/schema-@@platform@@.sql";

        /**
         * Whether to check at start-up, after the schema tools have run, that the event store's tables exist
         * with every column of the current schema version, and stop the application with a message saying
         * how to create or upgrade them when they do not.
         */
        private boolean checkSchema = true;

        public boolean isCheckSchema() {
            return checkSchema;
        }

        public void setCheckSchema(boolean checkSchema) {
            this.checkSchema = checkSchema;
        }

        public DatabaseInitializationMode getInitializeSchema() {
            return initializeSchema;
        }

        public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        public @Nullable String getPlatform() {
            return platform;
        }

        public void setPlatform(@Nullable String platform) {
            this.platform = platform;
        }

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }
    }

    /** The JPA backend. */
    public static class Jpa {

        /**
         * Event rows per statement of an append of more than 1,000 events; smaller appends take one statement,
         * and on PostgreSQL every append does.
         */
        private int batchSize = 100;

        /** Event rows fetched per database round trip when loading a stream. */
        private int fetchSize = 500;

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getFetchSize() {
            return fetchSize;
        }

        public void setFetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
        }
    }

    /** Where the classes of stored event types are found. */
    public static class EventTypes {

        /**
         * Packages scanned for event classes besides the application's own (its auto-configuration
         * packages), for example those of a shared events jar. @EventType classes there are registered at
         * start-up; a stored type name with no registered class is resolved to the class of that simple
         * name there.
         */
        private List<String> packages = new ArrayList<>();

        public List<String> getPackages() {
            return packages;
        }

        public void setPackages(List<String> packages) {
            this.packages = packages;
        }
    }

    /** The log that subscriptions read. */
    public static class Log {

        /**
         * How often subscriptions waiting for events look for events appended by other instances of the
         * application. Appends in this instance wake them at once, and so do other instances' appends on
         * PostgreSQL (LISTEN/NOTIFY).
         */
        private Duration pollInterval = Duration.ofMillis(100);

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }

    public Projections getProjections() {
        return projections;
    }

    public Web getWeb() {
        return web;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Aggregates getAggregates() {
        return aggregates;
    }

    /** The aggregate repositories of AggregateRepositories. */
    public static class Aggregates {

        /**
         * How many times an aggregate update runs its command at most, the first attempt included, when another
         * writer changed the aggregate between its load and its append; 1 for no retry. Updates inside a caller's
         * transaction are never retried.
         */
        private int maxAttempts = 3;

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }

    /** The outbox: the log's events published to a message broker through the application's OutboxPublisher. */
    public static class Outbox {

        /**
         * Whether to publish the log's events through the application's OutboxPublisher bean (the module
         * event-store-amqp declares one for RabbitMQ).
         */
        private boolean enabled = false;

        /** Name of the outbox's projection, under which its checkpoint is kept and it is operated. */
        private String name = "outbox";

        /** Only events of streams in these categories; every stream when empty. */
        private List<String> categories = new ArrayList<>();

        /** Only events of these stored type names (@EventType, else the class's simple name); every type when empty. */
        private List<String> eventTypes = new ArrayList<>();

        /** Only events of these tenants, the empty string standing for the default tenant; every tenant when empty. */
        private List<String> tenants = new ArrayList<>();

        /**
         * Where the outbox starts the first time it runs: "now" publishes the events appended from then on,
         * "beginning" the whole log first.
         */
        private StartPosition startAt = StartPosition.NOW;

        /** The most events read and published in one batch, whose checkpoint moves once the broker has them all. */
        private int batchSize = 100;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<String> getCategories() {
            return categories;
        }

        public void setCategories(List<String> categories) {
            this.categories = categories;
        }

        public List<String> getEventTypes() {
            return eventTypes;
        }

        public void setEventTypes(List<String> eventTypes) {
            this.eventTypes = eventTypes;
        }

        public List<String> getTenants() {
            return tenants;
        }

        public void setTenants(List<String> tenants) {
            this.tenants = tenants;
        }

        public StartPosition getStartAt() {
            return startAt;
        }

        public void setStartAt(StartPosition startAt) {
            this.startAt = startAt;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }
    }

    /** The event store's metrics, with Micrometer. */
    public static class Metrics {

        /**
         * How long one reading of the projections' lag serves the gauges eventstore.projection.lag and
         * eventstore.projection.lag.time before a scrape reads it again from the database.
         */
        private Duration lagRefreshInterval = Duration.ofSeconds(5);

        public Duration getLagRefreshInterval() {
            return lagRefreshInterval;
        }

        public void setLagRefreshInterval(Duration lagRefreshInterval) {
            this.lagRefreshInterval = lagRefreshInterval;
        }
    }

    /** Answers to HTTP clients, with Spring MVC. */
    public static class Web {

        private final ProblemDetails problemDetails = new ProblemDetails();

        public ProblemDetails getProblemDetails() {
            return problemDetails;
        }

        /** The event store's exceptions as RFC 9457 problem details. */
        public static class ProblemDetails {

            /** Whether to answer the event store's exceptions with problem details (409, 400 or 500). */
            private boolean enabled = true;

            public boolean isEnabled() {
                return enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }
        }
    }

    /** How the starter runs the application's {@code @Projection} beans. */
    public static class Projections {

        /** Whether projections start with the application; off, they can still be operated and started by hand. */
        private boolean enabled = true;

        /** This instance's name in the projections' leases; by default the host name, process id and a random part. */
        private @Nullable String instanceId;

        /** The most events a projection handles in one transaction, unless its annotation says otherwise. */
        private int batchSize = 100;

        /** How many times an event is handled before a projection gives up on it, unless its annotation says otherwise. */
        private int maxAttempts = 3;

        /** The wait before the second attempt at a failing event. */
        private Duration initialBackOff = Duration.ofSeconds(1);

        /** How much longer each following wait is. */
        private double backOffMultiplier = 2;

        /** The longest wait between two attempts. */
        private Duration maxBackOff = Duration.ofSeconds(30);

        /**
         * How long a projection's lease lasts unless renewed: when the instance running it dies, another takes
         * it over within about this time. One that stops gives its leases up at once.
         */
        private Duration leaseTimeout = Duration.ofSeconds(10);

        /**
         * The longest a running projection waits for new events before it looks at its row again (for a pause,
         * a reset, or to renew its lease); at most a third of the lease time-out.
         */
        private Duration pollTimeout = Duration.ofSeconds(1);

        /** The lag, in events, beyond which the health indicator reports a projection as lagging. */
        private long lagThreshold = 10_000;

        /**
         * How long a projection may keep failing on an event, retrying it, before the health indicator of the
         * instance running it reports DOWN: an outbox whose broker is unreachable, for example.
         */
        private Duration failingDownAfter = Duration.ofMinutes(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getInstanceId() {
            return instanceId;
        }

        public void setInstanceId(@Nullable String instanceId) {
            this.instanceId = instanceId;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackOff() {
            return initialBackOff;
        }

        public void setInitialBackOff(Duration initialBackOff) {
            this.initialBackOff = initialBackOff;
        }

        public double getBackOffMultiplier() {
            return backOffMultiplier;
        }

        public void setBackOffMultiplier(double backOffMultiplier) {
            this.backOffMultiplier = backOffMultiplier;
        }

        public Duration getMaxBackOff() {
            return maxBackOff;
        }

        public void setMaxBackOff(Duration maxBackOff) {
            this.maxBackOff = maxBackOff;
        }

        public Duration getLeaseTimeout() {
            return leaseTimeout;
        }

        public void setLeaseTimeout(Duration leaseTimeout) {
            this.leaseTimeout = leaseTimeout;
        }

        public Duration getPollTimeout() {
            return pollTimeout;
        }

        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }

        public long getLagThreshold() {
            return lagThreshold;
        }

        public void setLagThreshold(long lagThreshold) {
            this.lagThreshold = lagThreshold;
        }

        public Duration getFailingDownAfter() {
            return failingDownAfter;
        }

        public void setFailingDownAfter(Duration failingDownAfter) {
            this.failingDownAfter = failingDownAfter;
        }
    }
}
