package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerService;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.autoconfigure.testapp.TestApplication;

/** A Boot application with the starter, end to end: its entities and its events in one transaction. */
class EventStoreApplicationTests {

    abstract static class ApplicationBehaviour {

        @Autowired
        LedgerService ledger;

        @Autowired
        EventStore eventStore;

        @Test
        void entityAndEventsCommitTogether() {
            String account = "account-" + UUID.randomUUID();

            ledger.deposit(account, 10, false);
            ledger.deposit(account, 5, false);

            assertThat(ledger.entries(account)).isEqualTo(2);
            assertThat(eventStore.loadStream(StreamId.named(account)).stream().map(event -> (Object) event.event()).toList())
                    .containsExactly(new MoneyDeposited(account, 10), new MoneyDeposited(account, 5));
        }

        @Test
        void entityAndEventsRollBackTogether() {
            String account = "account-" + UUID.randomUUID();
            ledger.deposit(account, 10, false);

            assertThatThrownBy(() -> ledger.deposit(account, 99, true)).isInstanceOf(IllegalStateException.class);

            assertThat(ledger.entries(account)).isEqualTo(1);
            assertThat(eventStore.loadStream(StreamId.named(account))).hasSize(1);
        }
    }

    @Nested
    @SpringBootTest(classes = TestApplication.class)
    class OnEmbeddedH2 extends ApplicationBehaviour {
    }

    @Nested
    @SpringBootTest(classes = TestApplication.class, properties = {
            "spring.jpa.hibernate.ddl-auto=update", "event-store.jdbc.initialize-schema=always"})
    class OnPostgreSql extends ApplicationBehaviour {

        @BeforeAll
        static void postgresIsReachable() {
            DatabaseServer.POSTGRESQL.assumeReachable();
        }

        @DynamicPropertySource
        static void postgres(DynamicPropertyRegistry registry) {
            registry.add("spring.datasource.url", DatabaseServer.POSTGRESQL::url);
            registry.add("spring.datasource.username", DatabaseServer.POSTGRESQL::user);
            registry.add("spring.datasource.password", DatabaseServer.POSTGRESQL::password);
        }
    }
}
