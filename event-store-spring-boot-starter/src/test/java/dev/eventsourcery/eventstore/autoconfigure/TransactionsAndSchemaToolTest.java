package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.internal.DefaultSchemaFilterProvider;
import org.hibernate.tool.schema.spi.SchemaFilter;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;

/**
 * Which transactions the injected store joins when the application has other transaction managers than
 * Boot's, and how it keeps Hibernate's schema tool ({@code spring.jpa.hibernate.ddl-auto}) off its tables.
 */
class TransactionsAndSchemaToolTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, EventStoreEntitiesAutoConfiguration.class,
                    EventSerializationAutoConfiguration.class, EventStoreAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("spring.datasource.generate-unique-name=true");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    @Configuration(proxyBeanMethods = false)
    static class JdbcOnly {
        @Bean
        JdbcTransactionManager transactionManager(DataSource dataSource) {
            return new JdbcTransactionManager(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ManagerOfAnotherDatabase {
        @Bean
        JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
            return new JpaTransactionManager(entityManagerFactory);
        }

        @Bean
        JdbcTransactionManager reportingTransactionManager() {
            JdbcDataSource reporting = new JdbcDataSource();
            reporting.setURL("jdbc:h2:mem:reporting");
            return new JdbcTransactionManager(reporting);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoManagersOfOneDatabase {
        @Bean
        JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
            return new JpaTransactionManager(entityManagerFactory);
        }

        @Bean
        JdbcTransactionManager jdbcTransactionManager(DataSource dataSource) {
            return new JdbcTransactionManager(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoManagersOneOfThemPrimary {
        @Bean
        JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
            return new JpaTransactionManager(entityManagerFactory);
        }

        @Bean
        @Primary
        JdbcTransactionManager jdbcTransactionManager(DataSource dataSource) {
            return new JdbcTransactionManager(dataSource);
        }
    }

    /** Rolls back a transaction of the manager that wrote the application's row and the events. */
    private static void appendAndRollBack(PlatformTransactionManager manager, JdbcTemplate jdbc, EventStore store,
            StreamId stream) {
        jdbc.execute("create table if not exists audit (id int)");
        new TransactionTemplate(manager).executeWithoutResult(status -> {
            jdbc.update("insert into audit (id) values (1)");
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
            status.setRollbackOnly();
        });
    }

    @Test
    void anApplicationWithOnlyAJdbcTransactionManagerHasItsTransactionsJoined() {
        runner.withUserConfiguration(JdbcOnly.class).run(context -> {
            assertThat(context).hasNotFailed().getBeans(PlatformTransactionManager.class).hasSize(1);
            EventStore store = context.getBean(EventStore.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            StreamId stream = StreamId.random();

            appendAndRollBack(context.getBean(JdbcTransactionManager.class), jdbc, store, stream);

            assertThat(store.loadStream(stream)).isEmpty();
            assertThat(jdbc.queryForObject("select count(*) from es_stream", Integer.class)).isZero();
            assertThat(jdbc.queryForObject("select count(*) from audit", Integer.class)).isZero();
        });
    }

    @Test
    void aManagerOfAnotherDatabaseIsPassedOverForTheOneOfTheApplicationsDatabase() {
        runner.withUserConfiguration(ManagerOfAnotherDatabase.class).run(context -> {
            assertThat(context).hasNotFailed();
            EventStore store = context.getBean(EventStore.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            StreamId stream = StreamId.random();

            appendAndRollBack(context.getBean("transactionManager", PlatformTransactionManager.class), jdbc, store,
                    stream);

            assertThat(store.loadStream(stream)).isEmpty();
        });
    }

    @Test
    void twoManagersOfTheApplicationsDatabaseNeedOneNamedOrPrimary() {
        runner.withUserConfiguration(TwoManagersOfOneDatabase.class).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("Several transaction managers")
                .hasMessageContaining("jdbcTransactionManager").hasMessageContaining("event-store.transaction-manager"));

        runner.withUserConfiguration(TwoManagersOfOneDatabase.class)
                .withPropertyValues("event-store.transaction-manager=jdbcTransactionManager").run(context -> {
                    assertThat(context).hasNotFailed();
                    StreamId stream = StreamId.random();
                    appendAndRollBack(context.getBean(JdbcTransactionManager.class),
                            new JdbcTemplate(context.getBean(DataSource.class)), context.getBean(EventStore.class),
                            stream);
                    assertThat(context.getBean(EventStore.class).loadStream(stream)).isEmpty();
                });

        runner.withUserConfiguration(TwoManagersOneOfThemPrimary.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aNamedManagerThatCannotJoinFailsTheStartUpNamingIt() {
        runner.withUserConfiguration(ManagerOfAnotherDatabase.class)
                .withPropertyValues("event-store.transaction-manager=reportingTransactionManager")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("reportingTransactionManager")
                        .hasMessageContaining("not the event store's DataSource"));
    }

    @Test
    void createDropKeepsTheStoredEventsAndTheScriptsConstraintsAcrossRestarts() {
        ApplicationContextRunner createDrop = runner.withPropertyValues(
                "spring.datasource.generate-unique-name=false", "spring.datasource.name=create-drop-restarts",
                "spring.jpa.hibernate.ddl-auto=create-drop");
        StreamId stream = StreamId.random();

        createDrop.run(context -> context.getBean(EventStore.class).appendEvents(stream, 0,
                new MoneyDeposited("a", 1), new MoneyDeposited("a", 2)));
        createDrop.run(context -> {
            assertThat(context.getBean(EventStore.class).loadStream(stream)).hasSize(2);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("select count(*) from information_schema.table_constraints where "
                    + "constraint_type = 'FOREIGN KEY' and lower(table_name) in ('es_event', 'es_snapshot')",
                    Integer.class)).as("the snapshots' key to their stream").isEqualTo(1);
            // Hibernate still creates the application's own tables
            assertThat(jdbc.queryForObject("select count(*) from ledger_entry", Integer.class)).isZero();
        });
    }

    @Test
    void anApplicationsOwnSchemaFilterStillFiltersItsOwnTables() {
        runner.withPropertyValues("spring.jpa.hibernate.ddl-auto=create",
                "spring.jpa.properties.hibernate.hbm2ddl.schema_filter_provider=" + WithoutLedger.class.getName())
                .run(context -> {
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    assertThat(jdbc.queryForObject("select count(*) from information_schema.tables "
                            + "where lower(table_name) in ('ledger_entry', 'es_event')", Integer.class))
                            .as("only the scripts' es_event: the application's filter left ledger_entry out")
                            .isEqualTo(1);
                });
    }

    /** An application's schema filter that keeps Hibernate from creating {@code ledger_entry}. */
    public static final class WithoutLedger implements SchemaFilterProvider {

        private static final SchemaFilter FILTER = new SchemaFilter() {
            @Override
            public boolean includeNamespace(Namespace namespace) {
                return true;
            }

            @Override
            public boolean includeTable(Table table) {
                return !table.getName().equalsIgnoreCase("ledger_entry");
            }

            @Override
            public boolean includeSequence(Sequence sequence) {
                return true;
            }
        };

        @Override
        public SchemaFilter getCreateFilter() {
            return FILTER;
        }

        @Override
        public SchemaFilter getDropFilter() {
            return FILTER;
        }

        @Override
        public SchemaFilter getTruncatorFilter() {
            return FILTER;
        }

        @Override
        public SchemaFilter getMigrateFilter() {
            return FILTER;
        }

        @Override
        public SchemaFilter getValidateFilter() {
            return DefaultSchemaFilterProvider.INSTANCE.getValidateFilter();
        }
    }
}
