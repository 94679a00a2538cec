package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.WebApplicationContext;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.AggregateRepository;
import dev.eventsourcery.eventstore.aggregate.SnapshotPolicy;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.autoconfigure.testapp.Purse;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/**
 * The store's exceptions as they reach an HTTP client through Spring MVC: RFC 9457 problem details with the
 * documented status, no payload or event id in what the client sees, the application's own handlers first,
 * and a switch to turn it off. The exceptions come from a real (in-memory) store.
 */
class ProblemDetailsTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
                    DispatcherServletAutoConfiguration.class, EventStoreWebAutoConfiguration.class))
            .withUserConfiguration(Endpoints.class);

    /** Endpoints that make the store refuse, as an application's controllers would. */
    @RestController
    static class Endpoints {

        private final EventStore store = StorageEventStore.builder(new InMemoryEventStorage()).build();

        @GetMapping("/conflict")
        void conflict() {
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
        }

        @GetMapping("/versioning")
        void versioning() {
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
            store.appendEvents(stream, Versioning.NO_VERSIONING, new MoneyDeposited("a", 1));
        }

        @GetMapping("/duplicate")
        void duplicate() {
            WrappedEvent<MoneyDeposited> event = WrappedEvent.wrap(new MoneyDeposited("a", 1), null);
            store.append(StreamId.random(), 0, event);
            store.append(StreamId.random(), 0, event);
        }

        @GetMapping("/snapshot")
        void snapshot() {
            store.saveSnapshot(StreamId.random(), WrappedEvent.wrap(new MoneyDeposited("a", 1), 7L));
        }

        @GetMapping("/aggregate")
        void aggregate() {
            AggregateRepository.of(store, Purse.type(SnapshotPolicy.never())).load(new UUID(0, 42));
        }

        @GetMapping("/tenant")
        void tenant() {
            store.scopedForTenant("not a tenant!");
        }

        @GetMapping("/nul")
        void nul() {
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("secret-\u0000-payload", 1));
        }

        @GetMapping("/unknown-type")
        void unknownType() {
            throw new EventStoreException("Cannot deserialize the payload {\"card\":\"4111-1111\"}");
        }

        @GetMapping("/application-argument")
        void applicationArgument() {
            throw new IllegalArgumentException("the application's own bad argument");
        }
    }

    @Test
    void conflictsAreConflicts() {
        runner.run(context -> {
            assertProblem(get(context, "/conflict"), HttpStatus.CONFLICT, "Concurrent change");
            assertProblem(get(context, "/versioning"), HttpStatus.CONFLICT, "Versioning mismatch");
            assertProblem(get(context, "/duplicate"), HttpStatus.CONFLICT, "Duplicate event");
            assertProblem(get(context, "/snapshot"), HttpStatus.CONFLICT, "Invalid snapshot");
        });
    }

    @Test
    void anAggregateThatDoesNotExistIsNotFound() {
        runner.run(context -> {
            MvcTestResult result = get(context, "/aggregate");
            assertProblem(result, HttpStatus.NOT_FOUND, "Aggregate not found");
            assertThat(result).bodyJson().extractingPath("$.detail").asString()
                    .contains("purse").contains(new UUID(0, 42).toString());
        });
    }

    @Test
    void badInputIsABadRequestThatNamesTheProblemButNotThePayload() {
        runner.run(context -> {
            MvcTestResult tenant = get(context, "/tenant");
            assertProblem(tenant, HttpStatus.BAD_REQUEST, "Invalid tenant");
            assertThat(tenant).bodyJson().extractingPath("$.detail").asString().contains("not a tenant!");

            MvcTestResult nul = get(context, "/nul");
            assertProblem(nul, HttpStatus.BAD_REQUEST, "Invalid request");
            assertThat(nul).bodyJson().extractingPath("$.detail").asString()
                    .contains("NUL character").contains("payload").doesNotContain("secret");
        });
    }

    @Test
    void serverFaultsAreGenericAndHoldNoPayload() {
        runner.run(context -> {
            MvcTestResult result = get(context, "/unknown-type");
            assertProblem(result, HttpStatus.INTERNAL_SERVER_ERROR, "Event store failure");
            assertThat(result).bodyText().doesNotContain("4111").doesNotContain("card");
        });
    }

    @Test
    void anIllegalArgumentTheStoreDidNotThrowIsNotAnswered() {
        runner.run(context -> {
            MvcTestResult result = get(context, "/application-argument");
            assertThat(result).hasFailed();
            // it reaches the servlet container as it is, for the application's error handling
            assertThat(result.getUnresolvedException()).hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .hasRootCauseMessage("the application's own bad argument");
        });
    }

    @Test
    void theApplicationsOwnHandlerWins() {
        runner.withUserConfiguration(OwnHandler.class).run(context -> {
            MvcTestResult result = get(context, "/conflict");
            assertThat(result).hasStatus(HttpStatus.PRECONDITION_FAILED);
            assertThat(result).bodyText().isEqualTo("retry");
            // the others are still answered by the starter
            assertProblem(get(context, "/snapshot"), HttpStatus.CONFLICT, "Invalid snapshot");
        });
    }

    @Test
    void switchedOffNothingIsAnswered() {
        runner.withPropertyValues("event-store.web.problem-details.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(EventStoreExceptionHandler.class);
            MvcTestResult result = get(context, "/conflict");
            assertThat(result.getUnresolvedException()).hasRootCauseInstanceOf(ConcurrentStreamWriteException.class);
        });
    }

    @Test
    void notInAWebApplication() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventStoreWebAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(EventStoreExceptionHandler.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHandler {
        @Bean
        Advice advice() {
            return new Advice();
        }
    }

    @RestControllerAdvice
    static class Advice {
        @ExceptionHandler
        org.springframework.http.ResponseEntity<String> conflict(ConcurrentStreamWriteException e) {
            return org.springframework.http.ResponseEntity.status(HttpStatus.PRECONDITION_FAILED).body("retry");
        }
    }

    private static MvcTestResult get(WebApplicationContext context, String path) {
        return MockMvcTester.from(context).get().uri(path).exchange();
    }

    private static void assertProblem(MvcTestResult result, HttpStatus status, String title) {
        assertThat(result).hasStatus(status);
        assertThat(result).hasContentType("application/problem+json");
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo(title);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
        // no class names of the server's internals
        assertThat(result).bodyText().doesNotContain("Exception");
    }
}
