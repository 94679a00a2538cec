package dev.eventsourcery.sample.bank;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/**
 * The bank with its {@code postgres} profile, on the PostgreSQL server the profile points at. Skipped
 * with a message when it is unreachable; with {@code CI=true} it fails instead.
 */
@SpringBootTest(properties = "bank.snapshot-every=3")
@AutoConfigureMockMvc
@ActiveProfiles("postgres")
class BankOnPostgreSqlTest extends BankBehaviour {

    @BeforeAll
    static void postgresIsReachable() {
        String url = env("BANK_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        try (Connection ignored = DriverManager.getConnection(url, env("BANK_DATASOURCE_USERNAME", "postgres"),
                env("BANK_DATASOURCE_PASSWORD", ""))) {
            // reachable
        } catch (SQLException e) {
            String message = "POSTGRESQL tests SKIPPED: no database at " + url + " (" + e.getMessage()
                    + "). Start the server or set BANK_DATASOURCE_URL, _USERNAME and _PASSWORD.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires every database: " + message);
            }
            System.err.println("WARNING: " + message);
            abort(message);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
