package dev.eventsourcery.eventstore.jpa;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import com.zaxxer.hikari.HikariDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A persistence unit on one test database, with the schema created from the shipped scripts and
 * validated by Hibernate ({@code hbm2ddl.auto=validate}); built once per database for the test run.
 */
final class JpaTestContext {

    private static final Map<TestDatabase, JpaTestContext> CONTEXTS = new ConcurrentHashMap<>();
    private static final Map<TestDatabase, JpaTestContext> PLAIN_CONTEXTS = new ConcurrentHashMap<>();

    final TestDatabase database;
    final EntityManagerFactory entityManagerFactory;
    final JpaTransactionManager transactionManager;
    final JdbcTemplate jdbc;
    final StatementLog statements = new StatementLog();
    final ConnectionKiller killer;
    private final DataSource pool;
    private JpaEventStorage lastEmpty;

    private JpaTestContext(TestDatabase database) {
        this(database, database.dataSource());
    }

    private JpaTestContext(TestDatabase database, DataSource pool) {
        this.database = database;
        this.killer = new ConnectionKiller(database);
        this.pool = pool;
        recreateSchema(database, pool);
        new JdbcTemplate(pool).execute(CallerAccount.TABLE);

        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        // the caller's JDBC writes in the tests share the persistence unit's data source, and so its transactions
        DataSource dataSource = ProxyDataSourceBuilder.create(pool)
                .listener(statements)
                .methodListener(statements)
                .listener(killer)
                .build();
        factory.setDataSource(dataSource);
        factory.setPackagesToScan(JpaEventStorage.class.getPackageName());
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setJpaPropertyMap(Map.of(
                "hibernate.hbm2ddl.auto", "validate",
                "hibernate.generate_statistics", "true"));
        factory.afterPropertiesSet();
        this.entityManagerFactory = factory.getObject();
        this.transactionManager = new JpaTransactionManager(entityManagerFactory);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    static JpaTestContext of(TestDatabase database) {
        return CONTEXTS.computeIfAbsent(database, JpaTestContext::new);
    }

    /** A persistence unit on the database's URL as it is (on MariaDB: one statement per round trip). */
    static JpaTestContext plain(TestDatabase database) {
        return PLAIN_CONTEXTS.computeIfAbsent(database, key -> new JpaTestContext(key, key.plainDataSource()));
    }

    /**
     * A persistence unit on a new, empty database of its own (see {@link TestDatabase#newDataSource()}), for a test
     * that changes the database beyond its rows; {@link #close()} it when done.
     */
    static JpaTestContext onNewDatabase(TestDatabase database) {
        return new JpaTestContext(database, database.newDataSource());
    }

    /** {@link #onNewDatabase(TestDatabase)}, its pool configured first (its size, the driver's properties). */
    static JpaTestContext onNewDatabase(TestDatabase database, Consumer<HikariDataSource> pool) {
        HikariDataSource dataSource = database.newDataSource();
        pool.accept(dataSource);
        return new JpaTestContext(database, dataSource);
    }

    /** Closes the persistence unit of a context made by {@link #onNewDatabase}, and its pool. */
    void close() {
        entityManagerFactory.close();
        if (pool instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Closes the persistence unit of a database, so the next {@link #of} builds it anew on the current schema. */
    static void discard(TestDatabase database) {
        JpaTestContext context = CONTEXTS.remove(database);
        if (context != null) {
            context.entityManagerFactory.close();
        }
    }

    /** Drops and creates the schema with the shipped scripts. */
    static void recreateSchema(TestDatabase database) {
        recreateSchema(database, database.dataSource());
    }

    private static void recreateSchema(TestDatabase database, DataSource dataSource) {
        new ResourceDatabasePopulator(script("drop-" + database.platform() + ".sql"),
                script("schema-" + database.platform() + ".sql")).execute(dataSource);
    }

    /** Builds a persistence unit with schema validation on, and closes it. */
    static void validateSchema(TestDatabase database) {
        validatedPersistenceUnit(database.dataSource()).destroy();
    }

    /**
     * A persistence unit on a data source, built with schema validation on (after creating the caller's table);
     * {@code destroy()} closes it.
     */
    static LocalContainerEntityManagerFactoryBean validatedPersistenceUnit(DataSource dataSource) {
        new JdbcTemplate(dataSource).execute(CallerAccount.TABLE);
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setPackagesToScan(JpaEventStorage.class.getPackageName());
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "validate"));
        factory.afterPropertiesSet();
        return factory;
    }

    /**
     * A storage on an emptied database, for the next program of a property test: the storage handed out before
     * is closed first, so that no numbering pass of it runs while the tables are emptied.
     */
    synchronized JpaEventStorage emptyStorage() {
        if (lastEmpty != null) {
            lastEmpty.close();
        }
        clear();
        lastEmpty = storage();
        return lastEmpty;
    }

    /** A storage on this persistence unit. */
    JpaEventStorage storage() {
        return new JpaEventStorage(entityManagerFactory, transactionManager);
    }

    /** Empties the event store's tables and the caller's. */
    void clear() {
        jdbc.update("delete from caller_account");
        jdbc.update("delete from es_pending");
        jdbc.update("delete from es_log");
        jdbc.update("delete from es_snapshot");
        jdbc.update("delete from es_event");
        jdbc.update("delete from es_deleted");
        jdbc.update("delete from es_stream");
    }

    TransactionTemplate transactions() {
        return new TransactionTemplate(transactionManager);
    }

    private static ClassPathResource script(String name) {
        return new ClassPathResource("dev/eventsourcery/eventstore/jpa/" + name);
    }
}
