package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.autoconfigure.upcasting.v2.ParcelSent;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;
import dev.eventsourcery.eventstore.serialization.Upcaster;

/**
 * An application's {@link Upcaster} beans bring the events an earlier version of it stored up to its
 * current classes, in what the injected store loads and what its subscriptions read.
 */
class UpcasterBeansTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, EventStoreEntitiesAutoConfiguration.class,
                    EventSerializationAutoConfiguration.class, EventStoreAutoConfiguration.class))
            .withPropertyValues("spring.jpa.hibernate.ddl-auto=none");

    /** The application as it was: it knew parcels by their grams. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = dev.eventsourcery.eventstore.autoconfigure.upcasting.v1.ParcelSent.class)
    static class FirstVersion {
    }

    /** The application now: kilograms and a carrier, and the upcaster from the first version. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = ParcelSent.class)
    static class SecondVersion {

        @Bean
        Upcaster parcelsInKilograms() {
            return Upcaster.of("shop.ParcelSent", 1, json -> {
                json.put("kilograms", json.remove("grams").asInt() / 1000.0);
                return json.put("carrier", "post");
            });
        }
    }

    @Test
    void eventsStoredByTheFirstVersionLoadAndAreReadAsTheSecondVersionsClass() {
        String name = "upcasting-" + System.nanoTime();
        ApplicationContextRunner onOneDatabase = runner.withPropertyValues("spring.datasource.generate-unique-name=false",
                "spring.datasource.name=" + name, "spring.datasource.url=jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        StreamId stream = StreamId.named("parcels-of-order-7");
        onOneDatabase.withUserConfiguration(FirstVersion.class).run(context -> context.getBean(EventStore.class)
                .appendEvents(stream, 0, new dev.eventsourcery.eventstore.autoconfigure.upcasting.v1.ParcelSent(2500)));

        onOneDatabase.withUserConfiguration(SecondVersion.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.appendEvents(stream, 1, new ParcelSent(1.25, "courier"));

            assertThat(context.getBean(EventUpcasters.class).isEmpty()).isFalse();
            assertThat(store.loadStream(stream)).extracting(event -> (Object) event.event())
                    .containsExactly(new ParcelSent(2.5, "post"), new ParcelSent(1.25, "courier"));
            List<Object> read = new ArrayList<>();
            try (Subscription subscription = store.subscribe().toEvents(ParcelSent.class).build()) {
                // a poll returns what is numbered in the log so far: poll until both or a poll waits in vain
                while (read.size() < 2) {
                    List<RecordedEvent<?>> polled = subscription.poll(10, Duration.ofSeconds(5));
                    if (polled.isEmpty()) {
                        break;
                    }
                    polled.forEach(event -> read.add(event.event()));
                }
            }
            assertThat(read).containsExactly(new ParcelSent(2.5, "post"), new ParcelSent(1.25, "courier"));
        });
    }

    @Test
    void withoutUpcasterBeansTheStoreHasNone() {
        runner.withUserConfiguration(FirstVersion.class)
                .run(context -> assertThat(context.getBean(EventUpcasters.class)).isSameAs(EventUpcasters.NONE));
    }
}
