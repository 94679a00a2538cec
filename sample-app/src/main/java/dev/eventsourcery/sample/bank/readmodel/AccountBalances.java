package dev.eventsourcery.sample.bank.readmodel;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.ProjectionReset;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountOpened;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyDeposited;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyWithdrawn;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferReceived;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferSent;

/**
 * The bank's read model, kept by a projection of the account streams: every account's balance, and the
 * transfers, per tenant, in two tables of the application's database. Each batch of events updates them in
 * the transaction that moves the projection's checkpoint, so every event counts exactly once.
 */
@Component
@Projection(name = "account-balances", category = "account")
public class AccountBalances {

    /** One account's balance. */
    public record Balance(UUID account, String owner, BigDecimal balance) {
    }

    /** One transfer, as the sending account recorded it. */
    public record Transfer(UUID transferId, UUID from, UUID to, BigDecimal amount, long position) {
    }

    private final JdbcTemplate jdbc;

    AccountBalances(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table if not exists bank_balance (tenant_id varchar(64) not null, account_id varchar(36) "
                + "not null, owner varchar(100) not null, balance decimal(16, 2) not null, "
                + "primary key (tenant_id, account_id))");
        jdbc.execute("create table if not exists bank_transfer (tenant_id varchar(64) not null, transfer_id varchar(36) "
                + "not null, from_account varchar(36) not null, to_account varchar(36) not null, amount decimal(16, 2) "
                + "not null, position bigint not null, sent_at timestamp not null, primary key (tenant_id, transfer_id))");
    }

    @ProjectionHandler
    void opened(RecordedEvent<AccountOpened> opened) {
        jdbc.update("insert into bank_balance (tenant_id, account_id, owner, balance) values (?, ?, ?, 0)",
                opened.tenantId().value(), account(opened), opened.event().owner());
    }

    @ProjectionHandler
    void deposited(RecordedEvent<MoneyDeposited> deposited) {
        add(deposited, deposited.event().amount());
    }

    @ProjectionHandler
    void withdrawn(RecordedEvent<MoneyWithdrawn> withdrawn) {
        add(withdrawn, withdrawn.event().amount().negate());
    }

    @ProjectionHandler
    void sent(RecordedEvent<TransferSent> sent) {
        add(sent, sent.event().amount().negate());
        jdbc.update("insert into bank_transfer (tenant_id, transfer_id, from_account, to_account, amount, position, "
                + "sent_at) values (?, ?, ?, ?, ?, ?, ?)", sent.tenantId().value(), sent.event().transferId().toString(),
                account(sent), sent.event().to().toString(), sent.event().amount(), sent.position().value(),
                Timestamp.from(sent.wrappedEvent().createdAt()));
    }

    @ProjectionHandler
    void received(RecordedEvent<TransferReceived> received) {
        add(received, received.event().amount());
    }

    /** A rebuild starts from empty tables. */
    @ProjectionReset
    void clear() {
        jdbc.update("delete from bank_transfer");
        jdbc.update("delete from bank_balance");
    }

    /** The tenant's accounts, by owner. */
    public List<Balance> balances(TenantId tenant) {
        return jdbc.query("select account_id, owner, balance from bank_balance where tenant_id = ? "
                + "order by owner, account_id", (row, i) -> new Balance(UUID.fromString(row.getString(1)),
                row.getString(2), row.getBigDecimal(3)), tenant.value());
    }

    /** The tenant's latest transfers, newest first. */
    public List<Transfer> recentTransfers(TenantId tenant, int limit) {
        return jdbc.query("select transfer_id, from_account, to_account, amount, position from bank_transfer "
                + "where tenant_id = ? order by position desc", (row, i) -> new Transfer(
                UUID.fromString(row.getString(1)), UUID.fromString(row.getString(2)), UUID.fromString(row.getString(3)),
                row.getBigDecimal(4), row.getLong(5)), tenant.value()).stream().limit(limit).toList();
    }

    private void add(RecordedEvent<?> event, BigDecimal amount) {
        jdbc.update("update bank_balance set balance = balance + ? where tenant_id = ? and account_id = ?", amount,
                event.tenantId().value(), account(event));
    }

    private static String account(RecordedEvent<?> event) {
        return event.streamId().uuid().toString();
    }
}
