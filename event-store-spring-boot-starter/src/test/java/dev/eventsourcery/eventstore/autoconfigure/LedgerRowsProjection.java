package dev.eventsourcery.eventstore.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;

/**
 * A projection writing one row per event, with the instance that wrote it, into a table without a key, so
 * that an event handled twice shows as two rows. It can take its time per event, and can stop for good in
 * the middle of a batch, after its write and before the commit, for its process to be killed there.
 */
@Projection(name = "ledger-rows", batchSize = 10, category = "ledger")
class LedgerRowsProjection {

    static final String TABLE = "ledger_rows";

    /** Milliseconds each event takes. */
    static volatile long delay;

    /** The position at which the handler writes its row, then {@link #marker} and then hangs. */
    static volatile long hangAt = -1;

    static volatile @Nullable Path marker;

    private final JdbcTemplate jdbc;
    private final String instance;

    LedgerRowsProjection(DataSource dataSource, String instance) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.instance = instance;
        createTable(jdbc);
    }

    static void createTable(JdbcTemplate jdbc) {
        jdbc.execute("create table if not exists " + TABLE + " (position bigint not null, instance varchar(64) not null)");
    }

    @ProjectionHandler
    void on(RecordedEvent<MoneyDeposited> deposited) throws InterruptedException {
        jdbc.update("insert into " + TABLE + " (position, instance) values (?, ?)", deposited.position().value(),
                instance);
        if (deposited.position().value() == hangAt) {
            try {
                Files.writeString(marker, "handled " + hangAt + ", not committed");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(Long.MAX_VALUE);
        }
        if (delay > 0) {
            Thread.sleep(delay);
        }
    }
}
