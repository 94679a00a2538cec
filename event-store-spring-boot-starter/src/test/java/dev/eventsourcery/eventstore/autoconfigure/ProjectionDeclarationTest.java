package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.projection.FailurePolicy;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionDeclaration;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.Projections;
import dev.eventsourcery.eventstore.spring.projection.StartPosition;

/** Projections declared in code, with settings made at run time instead of an annotation on the class. */
class ProjectionDeclarationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("spring.datasource.generate-unique-name=true",
                    "event-store.projections.poll-timeout=200ms", "event-store.projections.lease-timeout=3s");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    /** A projection of deposits whose settings are made at run time. */
    static class Deposits {

        final List<Long> amounts = new CopyOnWriteArrayList<>();

        @ProjectionHandler
        void on(MoneyDeposited deposited) {
            amounts.add(deposited.amount());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DeclaredDeposits {

        final Deposits deposits = new Deposits();

        @Bean
        ProjectionDeclaration depositsProjection() {
            return ProjectionDeclaration.of(deposits, Map.of("name", "declared-deposits", "category", "account",
                    "startAt", StartPosition.NOW));
        }

        @Bean
        Deposits deposits() {
            return deposits;
        }
    }

    @Test
    void aProjectionDeclaredInCodeRunsLikeAnAnnotatedOne() {
        runner.withUserConfiguration(DeclaredDeposits.class).run(context -> {
                    Projections projections = context.getBean(Projections.class);
                    assertThat(projections.names()).containsExactly("declared-deposits");
                    EventStore store = context.getBean(EventStore.class);
                    store.appendEvents(StreamId.random().withCategory("account"), 0, new MoneyDeposited("a", 1));
                    store.appendEvents(StreamId.random().withCategory("other"), 0, new MoneyDeposited("a", 2));
                    store.appendEvents(StreamId.random().withCategory("account"), 0, new MoneyDeposited("a", 3));
                    Deposits deposits = context.getBean(Deposits.class);
                    await().atMost(WAIT).until(() -> deposits.amounts.size() == 2);
                    assertThat(deposits.amounts).containsExactly(1L, 3L);
                });
    }

    @Test
    void declaredSettingsTakeTheAnnotationsDefaultsAndRefuseWhatItDoesNotHave() {
        Projection settings = ProjectionDeclaration.settings(Map.of("name", "p", "maxAttempts", 5));
        assertThat(settings.name()).isEqualTo("p");
        assertThat(settings.maxAttempts()).isEqualTo(5);
        assertThat(settings.category()).isEmpty();
        assertThat(settings.tenants()).isEmpty();
        assertThat(settings.startAt()).isEqualTo(StartPosition.BEGINNING);
        assertThat(settings.onFailure()).isEqualTo(FailurePolicy.STOP);
        assertThatThrownBy(() -> ProjectionDeclaration.settings(Map.of("category", "c")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> ProjectionDeclaration.settings(Map.of("name", "p", "categroy", "c")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("categroy");
        assertThatThrownBy(() -> ProjectionDeclaration.settings(Map.of("name", "p", "batchSize", "ten")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
