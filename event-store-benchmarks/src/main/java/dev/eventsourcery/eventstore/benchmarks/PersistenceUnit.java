package dev.eventsourcery.eventstore.benchmarks;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.axonframework.eventhandling.tokenstore.jpa.TokenEntry;
import org.axonframework.eventsourcing.eventstore.jpa.DomainEventEntry;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;

import dev.eventsourcery.eventstore.jpa.JpaEventStorage;

/**
 * The one Hibernate persistence unit both ORM contenders share, as in an application that has both:
 * the event store's entities and Axon's, on the benchmark's pool, with the schema validated against the
 * scripts ({@code hbm2ddl.auto=validate}). On MariaDB, where only the event store runs, and for the second
 * instance of S8, a unit of the event store's entities alone.
 *
 * @param entityManagerFactory the persistence unit
 * @param transactionManager Spring's JPA transaction manager on it, as Spring Boot configures one
 */
record PersistenceUnit(EntityManagerFactory entityManagerFactory, JpaTransactionManager transactionManager)
        implements AutoCloseable {

    /**
     * Hibernate's JDBC batch size for the whole unit. The event store sets its own per append; Axon relies
     * on this one, and without it would insert a 100-event append row by row.
     */
    static final int JDBC_BATCH_SIZE = 100;

    /** The unit both ORM contenders share (the event store's alone on MariaDB). */
    static PersistenceUnit on(Database database, DataSource dataSource) {
        return on(database, dataSource, "benchmarks-" + database.platform(), database.runsEveryScenario());
    }

    /** The unit of another instance of the event store, on a pool of its own. */
    static PersistenceUnit ofAnotherInstance(Database database, DataSource dataSource) {
        return on(database, dataSource, "benchmarks-" + database.platform() + "-another-instance", false);
    }

    private static PersistenceUnit on(Database database, DataSource dataSource, String name, boolean withAxon) {
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        if (withAxon) {
            // Axon's token store too, for P1's tracking event processor
            factory.setPackagesToScan(JpaEventStorage.class.getPackageName(), DomainEventEntry.class.getPackageName(),
                    TokenEntry.class.getPackageName());
        } else {
            factory.setPackagesToScan(JpaEventStorage.class.getPackageName());
        }
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        Map<String, Object> properties = new HashMap<>();
        properties.put("hibernate.hbm2ddl.auto", "validate");
        properties.put("hibernate.jdbc.batch_size", String.valueOf(JDBC_BATCH_SIZE));
        // Spring Boot's naming: Axon's entities map to domain_event_entry and friends; the event store names its own
        properties.put("hibernate.physical_naming_strategy", CamelCaseToUnderscoresNamingStrategy.class.getName());
        if (database == Database.POSTGRESQL) {
            properties.put("hibernate.dialect", ByteaPostgreSQLDialect.class.getName());
        }
        factory.setJpaPropertyMap(properties);
        factory.setPersistenceUnitName(name);
        factory.afterPropertiesSet();
        EntityManagerFactory entityManagerFactory = factory.getObject();
        return new PersistenceUnit(entityManagerFactory, new JpaTransactionManager(entityManagerFactory));
    }

    @Override
    public void close() {
        entityManagerFactory.close();
    }
}
