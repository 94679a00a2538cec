package dev.eventsourcery.sample.bank.web;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.eventsourcery.eventstore.aggregate.Aggregate;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.sample.bank.account.Account;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountSnapshot;
import dev.eventsourcery.sample.bank.account.AccountService;

/** The bank's HTTP API. Every request works in the tenant of its {@code X-Tenant-Id} header. */
@RestController
public class AccountController {

    private final AccountService accounts;
    private final EventTypeRegistry eventTypes;

    public AccountController(AccountService accounts, EventTypeRegistry eventTypes) {
        this.accounts = accounts;
        this.eventTypes = eventTypes;
    }

    /** Opening an account. */
    public record OpenAccount(@NotBlank @Size(max = 100) String owner) {
    }

    /** An amount of money: positive, with at most two decimals. */
    public record Amount(@NotNull @Positive @Digits(integer = 12, fraction = 2) BigDecimal amount) {
    }

    /** A transfer between two accounts of the tenant. */
    public record Transfer(@NotNull UUID from, @NotNull UUID to,
            @NotNull @Positive @Digits(integer = 12, fraction = 2) BigDecimal amount) {
    }

    /** An account as the API shows it. */
    public record AccountView(UUID id, String owner, BigDecimal balance, long version) {
        static AccountView of(Aggregate<Account> account) {
            return new AccountView(account.id(), account.state().owner(), account.state().balance(), account.version());
        }
    }

    /** One entry of an account's stream. */
    public record HistoryEntry(long version, String type, boolean snapshot, Object data, Instant createdAt) {
    }

    @PostMapping("/accounts")
    ResponseEntity<AccountView> open(@Valid @RequestBody OpenAccount request) {
        Aggregate<Account> account = accounts.open(request.owner());
        return ResponseEntity.created(URI.create("/accounts/" + account.id())).body(AccountView.of(account));
    }

    @GetMapping("/accounts/{id}")
    AccountView account(@PathVariable UUID id) {
        return AccountView.of(accounts.account(id));
    }

    @PostMapping("/accounts/{id}/deposits")
    AccountView deposit(@PathVariable UUID id, @Valid @RequestBody Amount request) {
        return AccountView.of(accounts.deposit(id, request.amount()));
    }

    @PostMapping("/accounts/{id}/withdrawals")
    AccountView withdraw(@PathVariable UUID id, @Valid @RequestBody Amount request) {
        return AccountView.of(accounts.withdraw(id, request.amount()));
    }

    @PostMapping("/transfers")
    AccountView transfer(@Valid @RequestBody Transfer request) {
        return AccountView.of(accounts.transfer(request.from(), request.to(), request.amount()));
    }

    /** The account's stream as stored: the latest snapshot, if any, then the events after it. */
    @GetMapping("/accounts/{id}/history")
    List<HistoryEntry> history(@PathVariable UUID id) {
        return accounts.history(id).stream()
                .map(event -> new HistoryEntry(event.version(), eventTypes.typeNameOf(event.event().getClass()),
                        event.event() instanceof AccountSnapshot, event.event(), event.createdAt()))
                .toList();
    }

}
