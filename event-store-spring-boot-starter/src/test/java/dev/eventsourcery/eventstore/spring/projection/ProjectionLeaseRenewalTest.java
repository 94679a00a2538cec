package dev.eventsourcery.eventstore.spring.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

/**
 * A projection's lease renewed by its timer: kept past its time-out while renewals succeed, lost at the first
 * renewal after another instance took it over, and no longer held before it ends when renewals fail.
 */
class ProjectionLeaseRenewalTest {

    private static final Duration TIMEOUT = Duration.ofMillis(600);

    private final EmbeddedDatabase database = new EmbeddedDatabaseBuilder().generateUniqueName(true)
            .setType(EmbeddedDatabaseType.H2).addScript("classpath:db/event-store/flyway/h2/V0_2__projections.sql")
            .build();
    private final JdbcTemplate jdbc = new JdbcTemplate(database);
    private volatile boolean renewalsFail;
    private final ProjectionLease lease;

    ProjectionLeaseRenewalTest() {
        ProjectionRows rows = new ProjectionRows(new RenewalsFailing(database));
        rows.createIfAbsent("leased", 0);
        lease = new ProjectionLease(rows, "leased", "this-instance", TIMEOUT);
    }

    @AfterEach
    void stop() {
        lease.stop();
        database.shutdown();
    }

    /** The database, but statements renewing a lease fail while {@link #renewalsFail} is set. */
    private final class RenewalsFailing extends DelegatingDataSource {

        RenewalsFailing(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, arguments) -> {
                        if (renewalsFail && method.getName().equals("prepareStatement")
                                && ((String) arguments[0]).startsWith("update es_projection set lease_until")) {
                            throw new SQLTransientConnectionException("the database is unreachable");
                        }
                        try {
                            return method.invoke(connection, arguments);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private long leaseUntil() {
        return jdbc.queryForObject("select lease_until from es_projection where name = 'leased'", Long.class);
    }

    @Test
    void theTimerKeepsTheLeasePastItsTimeOut() throws InterruptedException {
        lease.start();
        assertThat(lease.claim()).isTrue();
        Thread.sleep(TIMEOUT.multipliedBy(3).toMillis());
        assertThat(lease.held()).isTrue();
        assertThat(leaseUntil()).isGreaterThan(System.currentTimeMillis() + TIMEOUT.toMillis() / 3);
    }

    @Test
    void aLeaseTakenOverIsLostAtTheNextRenewalAndNotGivenUpOnStop() {
        lease.start();
        assertThat(lease.claim()).isTrue();
        long taken = System.currentTimeMillis();
        jdbc.update("update es_projection set owner = 'other-instance', lease_until = ? where name = 'leased'",
                taken + 60_000);

        await().atMost(TIMEOUT).until(() -> !lease.held());
        lease.stop();
        assertThat(jdbc.queryForObject("select owner from es_projection where name = 'leased'", String.class))
                .isEqualTo("other-instance");
    }

    @Test
    void whenRenewalsFailTheLeaseIsNoLongerHeldBeforeItEnds() {
        lease.start();
        assertThat(lease.claim()).isTrue();
        renewalsFail = true;
        long lastRenewal = leaseUntil();

        await().atMost(TIMEOUT.multipliedBy(2)).pollInterval(Duration.ofMillis(5)).until(() -> !lease.held());
        long noLongerHeld = System.currentTimeMillis();
        // the last renewal that reached the row, or one under way when they began to fail
        long ends = Math.max(lastRenewal, leaseUntil());
        assertThat(noLongerHeld).as("the lease stopped being held before it ends in the row").isLessThan(ends);
        assertThat(lease.claim()).as("the database answers the runner's claim").isTrue();
        assertThat(lease.held()).isTrue();
    }
}
