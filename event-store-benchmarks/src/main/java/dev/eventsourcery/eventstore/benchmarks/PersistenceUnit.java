package dev.eventsourcery.eventstore.benchmarks;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.axonframework.eventsourcing.eventstore.jpa.DomainEventEntry;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;

import dev.eventsourcery.eventstore.jpa.JpaEventStorage;

/**
 * The one Hibernate persistence unit both ORM contenders share, as in an application that has both:
 * the event store's entities and Axon's, on the benchmark's pool, with the schema validated against the
 * scripts ({@code hbm2ddl.auto=validate}).
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

    static PersistenceUnit on(Database database, DataSource dataSource) {
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setPackagesToScan(JpaEventStorage.class.getPackageName(), DomainEventEntry.class.getPackageName());
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
        factory.setPersistenceUnitName("benchmarks-" + database.platform());
        factory.afterPropertiesSet();
        EntityManagerFactory entityManagerFactory = factory.getObject();
        return new PersistenceUnit(entityManagerFactory, new JpaTransactionManager(entityManagerFactory));
    }

    @Override
    public void close() {
        entityManagerFactory.close();
    }
}
