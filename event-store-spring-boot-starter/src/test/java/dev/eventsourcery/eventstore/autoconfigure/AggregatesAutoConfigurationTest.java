package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.aggregate.Aggregate;
import dev.eventsourcery.eventstore.aggregate.AggregateRepository;
import dev.eventsourcery.eventstore.aggregate.SnapshotPolicy;
import dev.eventsourcery.eventstore.aggregate.UnitOfWork;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.Purse;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.spring.aggregate.AggregateRepositories;
import dev.eventsourcery.eventstore.spring.aggregate.TransactionalUnitOfWork;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the aggregates' auto-configuration creates under which conditions. */
class AggregatesAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, EventStoreEntitiesAutoConfiguration.class,
                    EventSerializationAutoConfiguration.class, EventStoreAutoConfiguration.class,
                    EventStoreAggregatesAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("spring.datasource.generate-unique-name=true");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    @Test
    void makesRepositoriesOnTheInjectedStoreInTheTransactionsOfTheStoresTransactionManager() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(AggregateRepositories.class).hasSingleBean(UnitOfWork.class);
            AggregateRepositories repositories = context.getBean(AggregateRepositories.class);
            assertThat(repositories.unitOfWork()).isInstanceOf(TransactionalUnitOfWork.class);
            assertThat(repositories.unitOfWork().toString())
                    .contains(context.getBean(JpaEventStorage.class).transactionManager().getClass().getSimpleName());
            assertThat(repositories.maxAttempts()).isEqualTo(3);

            AggregateRepository<Purse> purses = repositories.repository(Purse.type(SnapshotPolicy.never()));
            UUID id = UUID.randomUUID();
            purses.create(id, Purse.deposit(3));
            assertThat(purses.maxAttempts()).isEqualTo(3);
            assertThat(purses.load(id)).isEqualTo(new Aggregate<>(id, new Purse(3, 1), 1));
            assertThat(context.getBean(EventStore.class).loadStream(Purse.type(SnapshotPolicy.never()).streamId(id)))
                    .hasSize(1);
        });
    }

    @Test
    void maxAttemptsComesFromTheProperty() {
        runner.withPropertyValues("event-store.aggregates.max-attempts=7").run(context -> {
            AggregateRepositories repositories = context.getBean(AggregateRepositories.class);
            assertThat(repositories.maxAttempts()).isEqualTo(7);
            assertThat(repositories.repository(Purse.type(SnapshotPolicy.never())).maxAttempts()).isEqualTo(7);
        });
        runner.withPropertyValues("event-store.aggregates.max-attempts=1").run(context ->
                assertThat(context.getBean(AggregateRepositories.class).maxAttempts()).isEqualTo(1));
    }

    @Test
    void fewerThanOneAttemptStopsTheStartWithTheProperty() {
        runner.withPropertyValues("event-store.aggregates.max-attempts=0").run(context ->
                assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .rootCause().hasMessageContaining("event-store.aggregates.max-attempts"));
    }

    @Test
    void backsOffFromTheApplicationsRepositories() {
        runner.withUserConfiguration(OwnRepositories.class).run(context -> {
            assertThat(context).hasSingleBean(AggregateRepositories.class);
            assertThat(context.getBean(AggregateRepositories.class)).isSameAs(context.getBean("ownRepositories"));
        });
    }

    @Test
    void backsOffFromTheApplicationsUnitOfWorkAndUsesIt() {
        runner.withUserConfiguration(OwnUnitOfWork.class).run(context -> {
            assertThat(context).hasSingleBean(UnitOfWork.class);
            assertThat(context.getBean(AggregateRepositories.class).unitOfWork()).isSameAs(UnitOfWork.direct());
        });
    }

    @Test
    void withAStoreOfItsOwnTheApplicationsOnlyTransactionManagerRunsTheAttempts() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventStoreAggregatesAutoConfiguration.class))
                .withBean(EventStore.class, () -> StorageEventStore.builder(new InMemoryEventStorage()).build())
                .run(context -> assertThat(context.getBean(AggregateRepositories.class).unitOfWork())
                        .isSameAs(UnitOfWork.direct()));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventStoreAggregatesAutoConfiguration.class))
                .withBean(EventStore.class, () -> StorageEventStore.builder(new InMemoryEventStorage()).build())
                .withBean(PlatformTransactionManager.class, (Supplier<PlatformTransactionManager>)
                        () -> new DataSourceTransactionManager(new DriverManagerDataSource("jdbc:h2:mem:aggregates")))
                .run(context -> assertThat(context.getBean(AggregateRepositories.class).unitOfWork())
                        .isInstanceOf(TransactionalUnitOfWork.class));
    }

    @Test
    void noRepositoriesWithoutAnEventStoreOrWhenTheStarterIsDisabled() {
        runner.withPropertyValues("event-store.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(AggregateRepositories.class).doesNotHaveBean(UnitOfWork.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventStoreAggregatesAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(AggregateRepositories.class));
    }

    @Test
    void configurationMetadataDocumentsMaxAttemptsWithItsDefault() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        Map<String, JsonNode> properties = metadata.get("properties").valueStream()
                .collect(Collectors.toMap(property -> property.get("name").asString(), property -> property));

        assertThat(properties).containsKey("event-store.aggregates.max-attempts");
        JsonNode maxAttempts = properties.get("event-store.aggregates.max-attempts");
        assertThat(maxAttempts.get("defaultValue").asInt()).isEqualTo(3);
        assertThat(maxAttempts.get("description").asString()).contains("attempt");
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRepositories {
        @Bean
        AggregateRepositories ownRepositories(EventStore eventStore) {
            return new AggregateRepositories(eventStore, UnitOfWork.direct(), 9);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnUnitOfWork {
        @Bean
        UnitOfWork ownUnitOfWork() {
            return UnitOfWork.direct();
        }
    }
}
