package dev.eventsourcery.sample.bank.messaging;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * With the profile {@code rabbitmq}: the exchange {@code bank.events} the outbox publishes the account events
 * to, and a consumer of it, as another service would be, which logs each event it receives and keeps the
 * latest ones. The outbox publishes at least once: a consumer that must not act twice de-duplicates on the
 * message id, which is the event's id.
 */
@Configuration(proxyBeanMethods = false)
@Profile("rabbitmq")
public class PublishedEvents {

    /** An event as a consumer received it. */
    public record Received(String messageId, String routingKey, String eventType, String streamId, String tenant,
            Object version, String body) {
    }

    private static final Log logger = LogFactory.getLog(PublishedEvents.class);
    private static final int KEPT = 1000;

    private final Deque<Received> received = new ConcurrentLinkedDeque<>();

    /** The topic exchange the outbox publishes to, and the consumer's queue bound to every account event. */
    @Bean
    Declarables bankEvents(@Value("${bank.published-events-queue}") String queue) {
        TopicExchange exchange = new TopicExchange("bank.events");
        Queue consumer = new Queue(queue, false, false, true);
        Binding binding = BindingBuilder.bind(consumer).to(exchange).with("account.#");
        return new Declarables(exchange, consumer, binding);
    }

    @RabbitListener(queues = "${bank.published-events-queue}")
    void receive(Message message) {
        var properties = message.getMessageProperties();
        Received event = new Received(properties.getMessageId(), properties.getReceivedRoutingKey(),
                properties.getHeader("event-type"), properties.getHeader("stream-id"),
                properties.getHeader("tenant"), properties.getHeader("version"), new String(message.getBody(),
                        java.nio.charset.StandardCharsets.UTF_8));
        logger.info("bank.events: " + event.routingKey() + " v" + event.version() + " of account "
                + event.streamId() + (event.tenant() == null ? "" : " in tenant " + event.tenant()) + ": "
                + event.body() + " (message " + event.messageId() + ")");
        received.addLast(event);
        while (received.size() > KEPT) {
            received.pollFirst();
        }
    }

    /** The latest events received, oldest first. */
    public List<Received> received() {
        return new ArrayList<>(received);
    }
}
