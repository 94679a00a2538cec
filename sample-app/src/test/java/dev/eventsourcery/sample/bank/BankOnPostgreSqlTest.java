package dev.eventsourcery.sample.bank;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.eventsourcery.eventstore.testing.ServerSettings;
import dev.eventsourcery.eventstore.testing.TestServer;

/**
 * The bank with its {@code postgres} profile, on the PostgreSQL server the profile's variables point at but
 * in a database of this test run's own, never the profile's {@code bank} database nor the one named in the
 * URL, which only serves to create it. Skipped with a message when the server is unreachable; with
 * {@code CI=true} it fails instead.
 */
@SpringBootTest(properties = "bank.snapshot-every=3")
@AutoConfigureMockMvc
@ActiveProfiles("postgres")
class BankOnPostgreSqlTest extends BankBehaviour {

    private static final TestServer POSTGRESQL = new TestServer(ServerSettings.fromEnvironment("BANK_DATASOURCE_URL",
            "BANK_DATASOURCE_USERNAME", "BANK_DATASOURCE_PASSWORD", "jdbc:postgresql://127.0.0.1:5432/test",
            "postgres"));

    @BeforeAll
    static void postgresIsReachable() {
        POSTGRESQL.assumeReachable();
    }

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", POSTGRESQL::url);
        registry.add("spring.datasource.username", POSTGRESQL::user);
        registry.add("spring.datasource.password", POSTGRESQL::password);
        // the run's database is dropped at exit while the context closes: the projection and the log's threads,
        // asking for a connection then, give up after seconds rather than Hikari's default half minute
        registry.add("spring.datasource.hikari.connection-timeout", () -> "3000");
    }
}
