package dev.eventsourcery.sample.bank.readmodel;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.spring.EventAppended;
import dev.eventsourcery.sample.bank.BankProperties;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyDeposited;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyWithdrawn;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferSent;

/**
 * The register of large movements, which the bank must keep complete and exact: every deposit, withdrawal and
 * transfer from {@code bank.large-movement} on, and none that did not happen. Its {@code @EventListener}s run
 * inside the transaction that appends the event, so the row and the event commit together or not at all; a
 * failure to write the row fails the command. (The {@link AccountBalances} projection, by contrast, follows
 * the log after the commit.)
 */
@Component
public class LargeMovements {

    /** One large movement. */
    public record Movement(UUID eventId, UUID account, String kind, BigDecimal amount) {
    }

    private final JdbcTemplate jdbc;
    private final BigDecimal threshold;

    LargeMovements(DataSource dataSource, BankProperties properties) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.threshold = properties.largeMovement();
        jdbc.execute("create table if not exists bank_large_movement (event_id varchar(36) not null, "
                + "tenant_id varchar(64) not null, account_id varchar(36) not null, kind varchar(20) not null, "
                + "amount decimal(16, 2) not null, recorded_at timestamp not null, primary key (event_id))");
    }

    @EventListener
    void deposited(EventAppended<MoneyDeposited> deposited) {
        register(deposited, "deposit", deposited.event().amount());
    }

    @EventListener
    void withdrawn(EventAppended<MoneyWithdrawn> withdrawn) {
        register(withdrawn, "withdrawal", withdrawn.event().amount());
    }

    @EventListener
    void sent(EventAppended<TransferSent> sent) {
        register(sent, "transfer", sent.event().amount());
    }

    /** The tenant's large movements, newest first. */
    public List<Movement> movements(TenantId tenantId, int limit) {
        return jdbc.query("select event_id, account_id, kind, amount from bank_large_movement where tenant_id = ? "
                + "order by recorded_at desc, event_id", (row, i) -> new Movement(UUID.fromString(row.getString(1)),
                UUID.fromString(row.getString(2)), row.getString(3), row.getBigDecimal(4)), tenantId.value())
                .stream().limit(limit).toList();
    }

    private void register(EventAppended<?> appended, String kind, BigDecimal amount) {
        if (amount.compareTo(threshold) < 0) {
            return;
        }
        jdbc.update("insert into bank_large_movement (event_id, tenant_id, account_id, kind, amount, recorded_at) "
                + "values (?, ?, ?, ?, ?, ?)", appended.wrappedEvent().uuid().toString(), appended.tenantId().value(),
                appended.streamId().uuid().toString(), kind, amount,
                Timestamp.from(appended.wrappedEvent().createdAt()));
    }
}
