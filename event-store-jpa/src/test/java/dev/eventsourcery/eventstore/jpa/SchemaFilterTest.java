package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import jakarta.persistence.EntityManagerFactory;

import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.cfg.SchemaToolingSettings;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * Hibernate's schema tool leaves the event store's tables alone under {@link EventStoreSchemaFilterProvider}:
 * {@code create-drop} keeps the stored events and the scripts' constraints, {@code validate} still checks
 * the tables.
 */
class SchemaFilterTest {

    private static JdbcDataSource database(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        new ResourceDatabasePopulator(new ClassPathResource("dev/eventsourcery/eventstore/jpa/schema-h2.sql"))
                .execute(dataSource);
        new JdbcTemplate(dataSource).execute(CallerAccount.TABLE);
        return dataSource;
    }

    private static LocalContainerEntityManagerFactoryBean persistenceUnit(JdbcDataSource dataSource, String ddlAuto,
            boolean filtered) {
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setPackagesToScan(JpaEventStorage.class.getPackageName());
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        Map<String, Object> properties = new HashMap<>();
        properties.put(SchemaToolingSettings.HBM2DDL_AUTO, ddlAuto);
        if (filtered) {
            properties.put(SchemaToolingSettings.HBM2DDL_FILTER_PROVIDER, EventStoreSchemaFilterProvider.class.getName());
        }
        factory.setJpaPropertyMap(properties);
        factory.afterPropertiesSet();
        return factory;
    }

    private static int foreignKeysOfEventStoreTables(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from information_schema.table_constraints where constraint_type = "
                + "'FOREIGN KEY' and lower(table_name) in ('es_event', 'es_snapshot')", Integer.class);
    }

    @Test
    void createDropLeavesTheEventStoreTablesTheirEventsAndTheirConstraints() {
        JdbcDataSource dataSource = database("schema-filter-create-drop");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        int foreignKeys = foreignKeysOfEventStoreTables(jdbc);
        StreamId stream = StreamId.random();

        LocalContainerEntityManagerFactoryBean first = persistenceUnit(dataSource, "create-drop", true);
        EntityManagerFactory factory = first.getObject();
        StorageEventStore store = StorageEventStore.builder(new JpaEventStorage(factory, new JpaTransactionManager(factory)))
                .build();
        store.appendEvents(stream, 0, new NumberAdded(1), new NumberAdded(2));
        first.destroy();

        LocalContainerEntityManagerFactoryBean second = persistenceUnit(dataSource, "create-drop", true);
        factory = second.getObject();
        store = StorageEventStore.builder(new JpaEventStorage(factory, new JpaTransactionManager(factory))).build();
        store.registry().register(NumberAdded.class);
        assertThat(store.loadStream(stream)).hasSize(2);
        second.destroy();

        assertThat(jdbc.queryForObject("select count(*) from es_event", Integer.class)).isEqualTo(2);
        assertThat(foreignKeysOfEventStoreTables(jdbc)).as("the snapshots' key to their stream").isEqualTo(foreignKeys).isEqualTo(1);
    }

    @Test
    void withoutTheFilterCreateDropWouldDropTheEventStoreTables() {
        JdbcDataSource dataSource = database("schema-filter-unfiltered");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("insert into es_stream (id, tenant_id, stream_uuid, category, versioned, version) "
                + "values (random_uuid(), '', random_uuid(), '', true, 0)");

        persistenceUnit(dataSource, "create-drop", false).destroy();

        assertThat(jdbc.queryForObject("select count(*) from information_schema.tables where lower(table_name) "
                + "= 'es_stream'", Integer.class)).as("the failure the filter prevents").isZero();
    }

    @Test
    void validateStillChecksTheEventStoreTables() {
        JdbcDataSource dataSource = database("schema-filter-validate");
        new JdbcTemplate(dataSource).execute("alter table es_event drop column context");

        assertThatThrownBy(() -> persistenceUnit(dataSource, "validate", true))
                .hasStackTraceContaining("context")
                .hasStackTraceContaining("es_event");
    }
}
