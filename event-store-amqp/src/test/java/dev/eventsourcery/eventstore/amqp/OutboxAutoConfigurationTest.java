package dev.eventsourcery.eventstore.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.spring.outbox.OutboxMessage;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher;
import dev.eventsourcery.eventstore.spring.projection.ProjectionRunners;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * When the outbox publishes to RabbitMQ and with what: conditions and settings of
 * {@link EventStoreAmqpOutboxAutoConfiguration} with the starter's outbox. No broker is needed: nothing connects
 * before the first event.
 */
class OutboxAutoConfigurationTest {

    private final ApplicationContextRunner runner = OutboxTestApplication.runner()
            .withPropertyValues("spring.datasource.generate-unique-name=true");

    @Test
    void theOutboxIsOffByDefault() {
        runner.withPropertyValues("event-store.outbox.exchange=events").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(OutboxPublisher.class)
                    .doesNotHaveBean("eventStoreOutbox").doesNotHaveBean("eventStoreOutboxConnectionFactory");
            assertThat(context.getBean(Projections.class).names()).doesNotContain("outbox");
        });
    }

    @Test
    void enabledItPublishesToTheExchangeOnAConnectionFactoryOfItsOwnWithConfirmsAndReturns() {
        runner.withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.exchange=events",
                "event-store.outbox.confirm-timeout=1s").run(context -> {
                    assertThat(context).hasNotFailed();
                    RabbitOutboxPublisher publisher = context.getBean(RabbitOutboxPublisher.class);
                    assertThat(publisher.exchange()).isEqualTo("events");
                    assertThat(context.getBean(Projections.class).names()).containsExactly("outbox");
                    CachingConnectionFactory outbox = context.getBean("eventStoreOutboxConnectionFactory",
                            CachingConnectionFactory.class);
                    assertThat(outbox.isPublisherConfirms()).isTrue();
                    assertThat(outbox.isPublisherReturns()).isTrue();
                    // the application's own connection factory stays the one injected by type, unchanged
                    ConnectionFactory application = context.getBean(ConnectionFactory.class);
                    assertThat(application).isNotSameAs(outbox);
                    assertThat(application.isPublisherConfirms()).isFalse();
                    assertThat(context).hasSingleBean(RabbitTemplate.class);
                });
    }

    @Test
    void theOutboxConnectionFollowsSpringRabbitmqProperties() {
        runner.withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.exchange=events",
                "spring.rabbitmq.host=broker.example", "spring.rabbitmq.port=5673", "spring.rabbitmq.virtual-host=v1",
                "spring.rabbitmq.username=outbox").run(context -> {
                    CachingConnectionFactory outbox = context.getBean("eventStoreOutboxConnectionFactory",
                            CachingConnectionFactory.class);
                    assertThat(outbox.getHost()).isEqualTo("broker.example");
                    assertThat(outbox.getPort()).isEqualTo(5673);
                    assertThat(outbox.getVirtualHost()).isEqualTo("v1");
                    assertThat(outbox.getUsername()).isEqualTo("outbox");
                });
    }

    @Test
    void withoutAnExchangeTheStartFailsNamingTheProperty() {
        runner.withPropertyValues("event-store.outbox.enabled=true").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("event-store.outbox.exchange"));
    }

    @Test
    void aRoutingKeyTemplateThatIsNotSpelStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.exchange=events",
                "event-store.outbox.routing-key=#{category +}").run(context -> assertThat(context)
                        .getFailure().rootCause().hasMessageContaining("event-store.outbox.routing-key"));
    }

    @Test
    void aConfirmTimeOutLongerThanHalfTheLeaseTimeOutStopsTheStartNamingBothAndTheirValues() {
        runner.withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.exchange=events",
                "event-store.projections.lease-timeout=3s", "event-store.outbox.confirm-timeout=1501ms")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("event-store.outbox.confirm-timeout (1501ms)")
                        .hasMessageContaining("at most half of event-store.projections.lease-timeout (3s)"));
    }

    @Test
    void onTheDefaultsTheConfirmTimeOutIsHalfTheLeaseTimeOutAndTheApplicationStarts() {
        OutboxTestApplication.application().withPropertyValues("spring.datasource.generate-unique-name=true",
                "event-store.outbox.enabled=true", "event-store.outbox.exchange=events").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(RabbitOutboxPublisher.class);
                    assertThat(context.getBean(RabbitOutboxProperties.class).getConfirmTimeout())
                            .isEqualTo(Duration.ofSeconds(5));
                    assertThat(context.getBean(ProjectionRunners.class).settings().leaseTimeout())
                            .isEqualTo(Duration.ofSeconds(10));
                });
    }

    /** Publishes nowhere. */
    static final class OwnPublisher implements OutboxPublisher {
        @Override
        public void publish(List<OutboxMessage> messages) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPublisherConfiguration {
        @Bean
        OwnPublisher ownPublisher() {
            return new OwnPublisher();
        }
    }

    @Test
    void theApplicationsOwnPublisherWinsAndNeedsNoExchange() {
        runner.withUserConfiguration(OwnPublisherConfiguration.class)
                .withPropertyValues("event-store.outbox.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(OutboxPublisher.class)
                            .doesNotHaveBean(RabbitOutboxPublisher.class)
                            .doesNotHaveBean("eventStoreOutboxConnectionFactory");
                    assertThat(context.getBean(Projections.class).names()).containsExactly("outbox");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRoutingKey {
        @Bean
        OutboxRoutingKey tenantRoutingKey() {
            return message -> message.tenant() == null ? "none" : message.tenant();
        }
    }

    @Test
    void theApplicationsOwnRoutingKeyWins() {
        runner.withUserConfiguration(OwnRoutingKey.class)
                .withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.exchange=events",
                        "event-store.outbox.routing-key=category")
                .run(context -> {
                    assertThat(context).hasSingleBean(OutboxRoutingKey.class).hasBean("tenantRoutingKey");
                    assertThat(context).hasSingleBean(RabbitOutboxPublisher.class);
                });
    }

    @Test
    void anOutboxNamedInPropertiesIsOperatedUnderThatName() {
        runner.withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.exchange=",
                "event-store.outbox.name=to-rabbit").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(RabbitOutboxPublisher.class).exchange()).isEmpty();
                    assertThat(context.getBean(Projections.class).names()).containsExactly("to-rabbit");
                });
    }

    @Test
    void aConnectionFactoryWithoutCorrelatedConfirmsAndReturnsIsRefused() {
        CachingConnectionFactory plain = new CachingConnectionFactory("localhost");
        try {
            assertThatThrownBy(() -> new RabbitOutboxPublisher(plain, "events",
                    OutboxRoutingKey.type(), Duration.ofSeconds(1), UnroutablePolicy.FAIL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CORRELATED");
            plain.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
            assertThatThrownBy(() -> new RabbitOutboxPublisher(plain, "events",
                    OutboxRoutingKey.type(), Duration.ofSeconds(1), UnroutablePolicy.FAIL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no returns");
        } finally {
            plain.destroy();
        }
    }
}
