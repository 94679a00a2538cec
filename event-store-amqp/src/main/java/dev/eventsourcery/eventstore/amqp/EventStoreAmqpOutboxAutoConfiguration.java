package dev.eventsourcery.eventstore.amqp;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import dev.eventsourcery.eventstore.autoconfigure.EventStoreOutboxAutoConfiguration;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreProperties;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher;

/**
 * With {@code event-store.outbox.enabled=true}, publishes the outbox to RabbitMQ: a {@link RabbitOutboxPublisher}
 * to {@code event-store.outbox.exchange} (required) on a connection of its own to the broker of
 * {@code spring.rabbitmq.*} — the same address, credentials and SSL, with publisher confirms ({@code CORRELATED})
 * and returns on whatever the application's own connection factory uses — and the {@link OutboxRoutingKey} of
 * {@code event-store.outbox.routing-key}. The starter's outbox auto-configuration then runs the outbox with it.
 * An application's own {@link OutboxPublisher} or {@link OutboxRoutingKey} bean replaces these. The application
 * does not start when {@code event-store.outbox.confirm-timeout} is longer than half of
 * {@code event-store.projections.lease-timeout}.
 *
 * <p>The outbox's connection factory is the bean {@code eventStoreOutboxConnectionFactory}, which is not a
 * candidate for injection by type: the application's {@code ConnectionFactory} stays the only one its code and
 * Spring Boot's {@code RabbitTemplate} see. With Micrometer, the counters {@code eventstore.outbox.published},
 * {@code eventstore.outbox.refused} and {@code eventstore.outbox.unroutable} count the messages RabbitMQ
 * confirmed, refused and returned.
 */
@AutoConfiguration(after = RabbitAutoConfiguration.class, before = EventStoreOutboxAutoConfiguration.class,
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnBooleanProperty("event-store.outbox.enabled")
@EnableConfigurationProperties({RabbitOutboxProperties.class, EventStoreProperties.class})
public final class EventStoreAmqpOutboxAutoConfiguration {

    private static final String CONNECTION_FACTORY = "eventStoreOutboxConnectionFactory";

    /** The routing key of {@code event-store.outbox.routing-key}. */
    @Bean
    @ConditionalOnMissingBean
    OutboxRoutingKey eventStoreOutboxRoutingKey(RabbitOutboxProperties properties) {
        try {
            return OutboxRoutingKey.of(properties.getRoutingKey());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("event-store.outbox.routing-key",
                    properties.getRoutingKey(), e.getMessage());
        }
    }

    /**
     * The outbox's own connection factory: to the broker of {@code spring.rabbitmq.*}, configured as Spring Boot
     * configures the application's (with its {@link ConnectionFactoryCustomizer} beans too), with correlated
     * publisher confirms and returns, and named {@code event-store-outbox} unless the application names its
     * connections.
     */
    @Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
    @ConditionalOnMissingBean(OutboxPublisher.class)
    CachingConnectionFactory eventStoreOutboxConnectionFactory(RabbitConnectionFactoryBeanConfigurer beanConfigurer,
            CachingConnectionFactoryConfigurer configurer, RabbitConnectionDetails connectionDetails,
            ObjectProvider<ConnectionFactoryCustomizer> customizers,
            ObjectProvider<ConnectionNameStrategy> connectionNames) throws Exception {
        SslBundleConnectionFactoryBean bean = new SslBundleConnectionFactoryBean();
        beanConfigurer.configure(bean);
        if (connectionDetails.getSslBundle() != null) {
            bean.sslBundle(connectionDetails.getSslBundle());
        }
        bean.afterPropertiesSet();
        com.rabbitmq.client.ConnectionFactory rabbit = bean.getObject();
        customizers.orderedStream().forEach(customizer -> customizer.customize(rabbit));
        CachingConnectionFactory factory = new CachingConnectionFactory(rabbit);
        configurer.configure(factory);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        if (connectionNames.getIfAvailable() == null) {
            factory.setConnectionNameStrategy(connectionFactory -> "event-store-outbox");
        }
        return factory;
    }

    /** The publisher to {@code event-store.outbox.exchange}, on the outbox's own connection factory. */
    @Bean
    @ConditionalOnMissingBean(OutboxPublisher.class)
    RabbitOutboxPublisher eventStoreOutboxPublisher(
            @Qualifier(CONNECTION_FACTORY) CachingConnectionFactory connectionFactory,
            RabbitOutboxProperties properties, EventStoreProperties eventStore, OutboxRoutingKey routingKey,
            ObjectProvider<PublishMeters> meters) {
        String exchange = properties.getExchange();
        if (exchange == null) {
            throw new InvalidConfigurationPropertyValueException("event-store.outbox.exchange", null,
                    "The outbox needs the name of the RabbitMQ exchange to publish to (the empty string for the "
                            + "default exchange), or event-store.outbox.enabled=false");
        }
        checkConfirmTimeout(properties.getConfirmTimeout(), eventStore.getProjections().getLeaseTimeout());
        return new RabbitOutboxPublisher(connectionFactory, StringUtils.trimWhitespace(exchange), routingKey,
                properties.getConfirmTimeout(), properties.getUnroutable(),
                meters.getIfAvailable(() -> PublishMeters.NONE));
    }

    /**
     * Refuses a confirm time-out that is not positive or longer than half the projections' lease: the outbox's
     * runner renews its lease between batches, once a third of the lease time-out has passed, so a batch may begin
     * up to a third of it (and a poll) after the last renewal, and one that then waits the whole confirm time-out
     * must still end within the lease, or another instance takes the outbox over in the middle of it and publishes
     * the same events beside it.
     */
    private static void checkConfirmTimeout(@Nullable Duration confirmTimeout, Duration leaseTimeout) {
        if (confirmTimeout == null || confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new InvalidConfigurationPropertyValueException("event-store.outbox.confirm-timeout",
                    confirmTimeout, "The confirm time-out must be positive");
        }
        if (confirmTimeout.compareTo(leaseTimeout.dividedBy(2)) > 0) {
            throw new InvalidConfigurationPropertyValueException("event-store.outbox.confirm-timeout",
                    confirmTimeout, "event-store.outbox.confirm-timeout (" + text(confirmTimeout) + ") must be at "
                            + "most half of event-store.projections.lease-timeout (" + text(leaseTimeout) + "): a "
                            + "batch that waits for RabbitMQ's confirms longer than its lease lasts lets another "
                            + "instance take the outbox over in the middle of it. Set the confirm time-out to "
                            + text(leaseTimeout.dividedBy(2)) + " or less, or the lease time-out to "
                            + text(confirmTimeout.multipliedBy(2)) + " or more");
        }
    }

    /** A duration as a property sets it: {@code 5s}, {@code 1500ms}. */
    private static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** With Micrometer, the outbox's counters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static final class Meters {

        @Bean
        @ConditionalOnMissingBean(OutboxPublisher.class)
        PublishMeters eventStoreOutboxMeters(MeterRegistry registry, RabbitOutboxProperties properties) {
            String exchange = properties.getExchange();
            return new MicrometerPublishMeters(registry, exchange == null ? "" : exchange.trim());
        }
    }

    /**
     * Spring Boot's connection factory bean applies an SSL bundle ({@code spring.rabbitmq.ssl.bundle}) only to
     * its own class, which is not public: the same for the outbox's connection.
     */
    static final class SslBundleConnectionFactoryBean extends RabbitConnectionFactoryBean {

        private @Nullable SslBundle sslBundle;

        private boolean enableHostnameVerification = true;

        void sslBundle(SslBundle bundle) {
            this.sslBundle = bundle;
        }

        @Override
        public void setEnableHostnameVerification(boolean enable) {
            this.enableHostnameVerification = enable;
            super.setEnableHostnameVerification(enable);
        }

        @Override
        protected void setUpSSL() {
            if (sslBundle == null) {
                super.setUpSSL();
                return;
            }
            this.connectionFactory.useSslProtocol(sslBundle.createSslContext());
            if (enableHostnameVerification) {
                this.connectionFactory.enableHostnameVerification();
            }
        }
    }
}
