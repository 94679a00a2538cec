package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.storedjson.Money;
import dev.eventsourcery.eventstore.autoconfigure.storedjson.MoneyModule;
import dev.eventsourcery.eventstore.autoconfigure.storedjson.OrderPlaced;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of stored events is the event store's format: the application's Jackson settings, made for its
 * HTTP API, do not change it, while its Jackson modules and the event store's own customizers apply.
 */
class StoredJsonFormatTest {

    private static final OrderPlaced ORDER = new OrderPlaced("Ada", new Money(new BigDecimal("12.50"), "EUR"), null);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class))
            .withUserConfiguration(Application.class)
            // the event store's own script creates its tables, as in production; Hibernate's create-drop would
            // also drop them between two runs on one database
            .withPropertyValues("spring.jpa.hibernate.ddl-auto=none");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = OrderPlaced.class)
    static class Application {
    }

    @Test
    void applicationsJacksonSettingsDoNotChangeTheStoredJsonAndEarlierEventsStillLoad() {
        String name = "json-" + System.nanoTime();
        ApplicationContextRunner onOneDatabase = runner.withPropertyValues("spring.datasource.generate-unique-name=false",
                "spring.datasource.name=" + name, "spring.datasource.url=jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        StreamId stream = StreamId.named("order-1");
        OrderPlaced later = new OrderPlaced("Bob", new Money(BigDecimal.ONE, "USD"), "back door");
        onOneDatabase.run(context -> context.getBean(EventStore.class).appendEvents(stream, 0, ORDER));

        onOneDatabase.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE",
                "spring.jackson.default-property-inclusion=non_null").run(context -> {
                    // the application's mapper follows the settings
                    assertThat(context.getBean(JsonMapper.class).writeValueAsString(ORDER))
                            .contains("\"customer_name\"").doesNotContain("delivery");
                    EventStore store = context.getBean(EventStore.class);

                    store.appendEvents(stream, 1, later);

                    assertThat(payloads(context)).hasSize(2).allSatisfy(payload -> assertThat(payload)
                            .contains("\"customerName\"", "\"deliveryNote\"").doesNotContain("customer_name"));
                    assertThat(events(store, stream)).containsExactly(ORDER, later);
                });
    }

    @Test
    void applicationsJacksonModulesApplyToEvents() {
        runner.withBean(JacksonModule.class, MoneyModule::new)
                .withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE")
                .run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    StreamId stream = StreamId.random();

                    store.appendEvents(stream, 0, ORDER);

                    assertThat(payloads(context)).singleElement().asString()
                            .contains("\"total\":\"12.50 EUR\"", "\"customerName\"");
                    assertThat(events(store, stream)).containsExactly(ORDER);
                });
    }

    @Test
    void customizersApplyInOrderToTheEventStoresMapperOnly() {
        runner.withUserConfiguration(Customizers.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.random();

            store.appendEvents(stream, 0, ORDER);

            assertThat(payloads(context)).singleElement().asString().contains("\"customer_name\"");
            assertThat(events(store, stream)).containsExactly(ORDER);
            assertThat(context.getBean(JsonMapper.class).writeValueAsString(ORDER)).contains("\"customerName\"");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        // declared first, applied last: the order decides which naming strategy wins
        @Bean
        @Order(2)
        EventStoreJsonMapperBuilderCustomizer snakeCase() {
            return builder -> builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        }

        @Bean
        @Order(1)
        EventStoreJsonMapperBuilderCustomizer kebabCase() {
            return builder -> builder.propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
        }
    }

    private static List<String> payloads(AssertableApplicationContext context) {
        return new JdbcTemplate(context.getBean(DataSource.class))
                .queryForList("select payload from es_event order by version", String.class);
    }

    private static List<Object> events(EventStore store, StreamId stream) {
        return store.loadStream(stream).stream().<Object>map(WrappedEvent::event).toList();
    }
}
