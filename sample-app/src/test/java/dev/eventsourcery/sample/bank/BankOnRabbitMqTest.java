package dev.eventsourcery.sample.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import dev.eventsourcery.sample.bank.messaging.PublishedEvents;

/**
 * The bank with its {@code rabbitmq} profile on the local broker (127.0.0.1:5672): the outbox publishes the
 * account events to {@code bank.events}, and the sample's consumer receives each, in version order, with its
 * type and stream. A queue of this run's own, since other runs may share the broker. Skipped with a message
 * when no broker answers; with {@code CI=true} it fails instead.
 */
@SpringBootTest(properties = {"bank.snapshot-every=3", "spring.rabbitmq.host=127.0.0.1"})
@AutoConfigureMockMvc
@ActiveProfiles("rabbitmq")
class BankOnRabbitMqTest {

    @Autowired
    MockMvc http;

    @Autowired
    PublishedEvents published;

    @DynamicPropertySource
    static void ownQueue(DynamicPropertyRegistry registry) {
        String queue = "bank.published-events.test-" + UUID.randomUUID();
        registry.add("bank.published-events-queue", () -> queue);
    }

    @BeforeAll
    static void brokerIsReachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 2000);
        } catch (IOException e) {
            String message = "RabbitMQ tests SKIPPED: no broker at 127.0.0.1:5672 (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires RabbitMQ: " + message);
            }
            System.err.println("WARNING: " + message);
            abort(message);
        }
    }

    @Test
    void theAccountsEventsArePublishedToBankEventsAndReceivedInVersionOrder() throws Exception {
        String body = http.perform(post("/accounts").header("X-Tenant-Id", "acme")
                .contentType(MediaType.APPLICATION_JSON).content("{\"owner\": \"Ada\"}"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(body, "$.id");
        for (String amount : List.of("10", "20.50")) {
            http.perform(post("/accounts/" + id + "/deposits").header("X-Tenant-Id", "acme")
                    .contentType(MediaType.APPLICATION_JSON).content("{\"amount\": " + amount + "}"))
                    .andExpect(status().isOk());
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ofAccount(id)).hasSize(3));
        List<PublishedEvents.Received> events = ofAccount(id);
        assertThat(events).extracting(PublishedEvents.Received::routingKey).containsExactly(
                "account.bank.AccountOpened", "account.bank.MoneyDeposited", "account.bank.MoneyDeposited");
        assertThat(events).extracting(event -> ((Number) event.version()).longValue()).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(PublishedEvents.Received::tenant).containsOnly("acme");
        assertThat(events.get(2).body()).contains("20.5");
        assertThat(events).extracting(PublishedEvents.Received::messageId).doesNotHaveDuplicates()
                .allSatisfy(messageId -> assertThat(UUID.fromString(messageId)).isNotNull());

        http.perform(get("/actuator/health/rabbit")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
    }

    private List<PublishedEvents.Received> ofAccount(String id) {
        return published.received().stream().filter(event -> id.equals(event.streamId())).toList();
    }
}
