package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreEndpoint.EventStoreDescriptor;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreEndpoint.ProjectionDetailsDescriptor;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.autoconfigure.testapp.TestApplication;
import dev.eventsourcery.eventstore.spring.projection.FailurePolicy;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.ProjectionReset;
import dev.eventsourcery.eventstore.spring.projection.ProjectionState;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * The Actuator endpoint {@code eventstore}: called directly, where it shows the head and the projections and
 * operates them; and over HTTP in a Boot application, where it reads by default and operates only with
 * unrestricted access, answering bad requests with 400 and unknown projections with 404.
 */
class EventStoreEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Deposits, dead-lettering (after one attempt) the accounts it is told to fail on. */
    @Projection(name = "operated", maxAttempts = 1, onFailure = FailurePolicy.DEAD_LETTER)
    static class Operated {

        final Set<String> failOn = ConcurrentHashMap.newKeySet();
        final Set<Long> handled = ConcurrentHashMap.newKeySet();
        final AtomicInteger resets = new AtomicInteger();

        @ProjectionHandler
        void on(RecordedEvent<MoneyDeposited> deposited) {
            if (failOn.contains(deposited.event().account())) {
                throw new IllegalStateException("cannot operate " + deposited.event().account());
            }
            handled.add(deposited.position().value());
        }

        @ProjectionReset
        void reset() {
            resets.incrementAndGet();
            handled.clear();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OperatedProjection {
        @Bean
        Operated operated() {
            return new Operated();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    @Nested
    class CalledDirectly {

        private final ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                        EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                        EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class,
                        EventStoreEndpointAutoConfiguration.class))
                .withUserConfiguration(ApplicationPackage.class, OperatedProjection.class)
                .withPropertyValues("spring.datasource.generate-unique-name=true",
                        "event-store.projections.initial-back-off=10ms", "event-store.projections.poll-timeout=200ms",
                        "event-store.projections.lease-timeout=3s", "event-store.projections.lag-threshold=1",
                        "management.endpoints.web.exposure.include=eventstore");

        @Test
        void showsTheHeadAndWhereEveryProjectionStands() {
            runner.run(context -> {
                EventStore store = context.getBean(EventStore.class);
                store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1), new MoneyDeposited("a", 2));
                long head = store.position().orElseThrow().value();
                Projections projections = context.getBean(Projections.class);
                await().atMost(WAIT).until(() -> projections.status("operated").orElseThrow().checkpoint() == head);

                EventStoreDescriptor shown = context.getBean(EventStoreEndpoint.class).eventStore();
                assertThat(shown.head()).isEqualTo(head);
                assertThat(shown.projections()).singleElement().satisfies(projection -> {
                    assertThat(projection.name()).isEqualTo("operated");
                    assertThat(projection.state()).isEqualTo(ProjectionState.RUNNING);
                    assertThat(projection.checkpoint()).isEqualTo(head);
                    assertThat(projection.lag()).isZero();
                    assertThat(projection.lagging()).isFalse();
                    assertThat(projection.owner()).isNotNull();
                    assertThat(projection.deadLetterCount()).isZero();
                });
            });
        }

        @Test
        void pausesResumesResetsAndRebuildsAProjection() {
            runner.run(context -> {
                EventStoreEndpoint endpoint = context.getBean(EventStoreEndpoint.class);
                EventStore store = context.getBean(EventStore.class);
                Operated projection = context.getBean(Operated.class);

                assertThat(endpoint.operate("operated", "pause", null).state()).isEqualTo(ProjectionState.PAUSED);
                store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1), new MoneyDeposited("a", 2));
                long head = store.position().orElseThrow().value();
                ProjectionDetailsDescriptor paused = endpoint.projection("operated");
                assertThat(paused.state()).isEqualTo(ProjectionState.PAUSED);
                assertThat(paused.lag()).isEqualTo(head);
                assertThat(paused.lagging()).isTrue();
                assertThat(paused.timeLagSeconds()).isGreaterThanOrEqualTo(0);

                assertThat(endpoint.operate("operated", "Resume", null).state()).isEqualTo(ProjectionState.RUNNING);
                await().atMost(WAIT).until(() -> projection.handled.size() == 2);

                endpoint.operate("operated", "pause", null);
                ProjectionDetailsDescriptor reset = endpoint.operate("operated", "reset", head - 1);
                assertThat(reset.checkpoint()).isEqualTo(head - 1);
                assertThat(reset.state()).isEqualTo(ProjectionState.PAUSED);
                assertThat(projection.resets).hasValue(1);
                endpoint.operate("operated", "resume", null);
                await().atMost(WAIT).until(() -> projection.handled.size() == 1);

                endpoint.operate("operated", "rebuild", null);
                assertThat(projection.resets).hasValue(2);
                await().atMost(WAIT).until(() -> projection.handled.size() == 2);
            });
        }

        @Test
        void listsTheDeadLettersOfAProjectionAndReplaysOne() {
            runner.run(context -> {
                EventStoreEndpoint endpoint = context.getBean(EventStoreEndpoint.class);
                Operated projection = context.getBean(Operated.class);
                projection.failOn.add("bad");
                EventStore store = context.getBean(EventStore.class);
                store.appendEvents(StreamId.random(), 0, new MoneyDeposited("bad", 1));
                long failing = store.position().orElseThrow().value();
                await().atMost(WAIT).until(() -> endpoint.projection("operated").deadLetterCount() == 1);

                ProjectionDetailsDescriptor details = endpoint.projection("operated");
                assertThat(details.deadLetters()).singleElement().satisfies(letter -> {
                    assertThat(letter.position()).isEqualTo(failing);
                    assertThat(letter.error()).isEqualTo("java.lang.IllegalStateException: cannot operate bad");
                    assertThat(letter.errorTrace()).startsWith(letter.error()).contains("\tat ");
                    assertThat(letter.attempts()).isEqualTo(1);
                });
                assertThat(endpoint.eventStore().projections().get(0).deadLetterCount()).isEqualTo(1);

                assertThatThrownBy(() -> endpoint.operate("operated", "replay", failing + 1))
                        .isInstanceOf(InvalidEndpointRequestException.class)
                        .hasMessageContaining("no dead letter at position " + (failing + 1));
                projection.failOn.clear();
                ProjectionDetailsDescriptor replayed = endpoint.operate("operated", "replay", failing);
                assertThat(replayed.deadLetters()).isEmpty();
                assertThat(replayed.deadLetterCount()).isZero();
                assertThat(projection.handled).contains(failing);
            });
        }

        @Test
        void refusesABadRequestSayingWhatIsWrongAndKnowsNoUnknownProjection() {
            runner.run(context -> {
                EventStoreEndpoint endpoint = context.getBean(EventStoreEndpoint.class);
                assertThatThrownBy(() -> endpoint.operate("operated", null, null))
                        .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("action is missing");
                assertThatThrownBy(() -> endpoint.operate("operated", "explode", null))
                        .isInstanceOf(InvalidEndpointRequestException.class)
                        .hasMessageContaining("Unknown action 'explode'")
                        .hasMessageContaining("pause, resume, reset, rebuild, replay");
                assertThatThrownBy(() -> endpoint.operate("operated", "reset", null))
                        .isInstanceOf(InvalidEndpointRequestException.class)
                        .hasMessageContaining("'reset' needs a position");
                assertThatThrownBy(() -> endpoint.operate("operated", "replay", null))
                        .isInstanceOf(InvalidEndpointRequestException.class)
                        .hasMessageContaining("'replay' needs a position");
                assertThatThrownBy(() -> endpoint.operate("operated", "reset", -1L))
                        .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("negative");
                assertThat(endpoint.projection("unknown")).isNull();
                assertThat(endpoint.operate("unknown", "pause", null)).isNull();
                assertThat(context.getBean(Projections.class).status("operated").orElseThrow().state())
                        .isEqualTo(ProjectionState.RUNNING);
            });
        }

        @Test
        void isThereOnlyWhenExposedAndNotSwitchedOff() {
            runner.withPropertyValues("management.endpoints.web.exposure.include=health")
                    .run(context -> assertThat(context).doesNotHaveBean(EventStoreEndpoint.class));
            runner.withPropertyValues("management.endpoint.eventstore.access=NONE")
                    .run(context -> assertThat(context).doesNotHaveBean(EventStoreEndpoint.class));
            runner.run(context -> assertThat(context).hasSingleBean(EventStoreEndpoint.class)
                    .hasSingleBean(EventStoreEndpointWebExtension.class));
        }
    }

    @Nested
    @SpringBootTest(classes = {TestApplication.class, OperatedProjection.class},
            webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
                    "management.endpoints.web.exposure.include=eventstore",
                    "management.endpoint.eventstore.access=unrestricted",
                    "event-store.projections.poll-timeout=200ms", "event-store.projections.lease-timeout=3s"})
    @AutoConfigureMockMvc
    class OverHttpWithUnrestrictedAccess {

        @Autowired
        MockMvcTester mvc;

        @Autowired
        EventStore store;

        @Autowired
        Projections projections;

        @BeforeEach
        void running() {
            projections.resume("operated");
        }

        @Test
        void getShowsTheHeadAndTheProjections() {
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
            long head = store.position().orElseThrow().value();

            MvcTestResult result = mvc.get().uri("/actuator/eventstore").exchange();
            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.head").asNumber().satisfies(
                    value -> assertThat(value.longValue()).isGreaterThanOrEqualTo(head));
            assertThat(result).bodyJson().extractingPath("$.projections[0].name").isEqualTo("operated");
            assertThat(result).bodyJson().extractingPath("$.projections[0].state").isEqualTo("RUNNING");
            assertThat(result).bodyJson().extractingPath("$.projections[0].deadLetterCount").isEqualTo(0);

            MvcTestResult one = mvc.get().uri("/actuator/eventstore/operated").exchange();
            assertThat(one).hasStatusOk();
            assertThat(one).bodyJson().extractingPath("$.name").isEqualTo("operated");
            assertThat(one).bodyJson().extractingPath("$.deadLetters").asArray().isEmpty();
            assertThat(mvc.get().uri("/actuator/eventstore/unknown").exchange()).hasStatus(HttpStatus.NOT_FOUND);
        }

        @Test
        void postPausesAndResumesAProjection() {
            MvcTestResult paused = post("operated", "{\"action\": \"pause\"}");
            assertThat(paused).hasStatusOk();
            assertThat(paused).bodyJson().extractingPath("$.state").isEqualTo("PAUSED");
            assertThat(projections.status("operated").orElseThrow().state()).isEqualTo(ProjectionState.PAUSED);

            assertThat(post("operated", "{\"action\": \"resume\"}")).hasStatusOk();
            assertThat(projections.status("operated").orElseThrow().state()).isEqualTo(ProjectionState.RUNNING);
        }

        @Test
        void postResetsToAPositionGivenAsAJsonNumber() {
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
            long head = store.position().orElseThrow().value();
            await().atMost(WAIT).until(() -> projections.status("operated").orElseThrow().checkpoint() == head);
            post("operated", "{\"action\": \"pause\"}");

            MvcTestResult reset = post("operated", "{\"action\": \"reset\", \"position\": " + (head - 1) + "}");
            assertThat(reset).hasStatusOk();
            assertThat(reset).bodyJson().extractingPath("$.checkpoint").isEqualTo((int) (head - 1));
            assertThat(projections.status("operated").orElseThrow().checkpoint()).isEqualTo(head - 1);
        }

        @Test
        void aBadRequestIsA400SayingWhatIsWrongAndAnUnknownProjectionA404() {
            MvcTestResult noPosition = post("operated", "{\"action\": \"reset\"}");
            assertThat(noPosition).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(noPosition).bodyJson().extractingPath("$.error").asString().contains("'reset' needs a position");

            MvcTestResult unknownAction = post("operated", "{\"action\": \"explode\"}");
            assertThat(unknownAction).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(unknownAction).bodyJson().extractingPath("$.error").asString()
                    .contains("Unknown action 'explode'");

            MvcTestResult noAction = post("operated", "{}");
            assertThat(noAction).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(noAction).bodyJson().extractingPath("$.error").asString().contains("action is missing");

            MvcTestResult unknown = post("unknown", "{\"action\": \"pause\"}");
            assertThat(unknown).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(unknown).bodyJson().extractingPath("$.error").asString().contains("'unknown'");
            assertThat(projections.status("operated").orElseThrow().state()).isEqualTo(ProjectionState.RUNNING);
        }

        private MvcTestResult post(String name, String body) {
            return mvc.post().uri("/actuator/eventstore/{name}", name).contentType(MediaType.APPLICATION_JSON)
                    .content(body).exchange();
        }
    }

    @Nested
    @SpringBootTest(classes = {TestApplication.class, OperatedProjection.class},
            webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
                    "management.endpoints.web.exposure.include=eventstore",
                    "event-store.projections.poll-timeout=200ms", "event-store.projections.lease-timeout=3s"})
    @AutoConfigureMockMvc
    class OverHttpWithDefaultAccess {

        @Autowired
        MockMvcTester mvc;

        @Autowired
        Projections projections;

        @Test
        void readsButRefusesToOperate() {
            assertThat(mvc.get().uri("/actuator/eventstore").exchange()).hasStatusOk();
            assertThat(mvc.get().uri("/actuator/eventstore/operated").exchange()).hasStatusOk();

            MvcTestResult post = mvc.post().uri("/actuator/eventstore/operated")
                    .contentType(MediaType.APPLICATION_JSON).content("{\"action\": \"pause\"}").exchange();
            assertThat(post.getResponse().getStatus()).isIn(HttpStatus.NOT_FOUND.value(),
                    HttpStatus.METHOD_NOT_ALLOWED.value());
            assertThat(projections.status("operated").orElseThrow().state()).isEqualTo(ProjectionState.RUNNING);
        }
    }
}
