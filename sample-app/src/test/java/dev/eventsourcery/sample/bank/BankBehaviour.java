package dev.eventsourcery.sample.bank;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.jayway.jsonpath.JsonPath;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.sample.legacy.DepositBeforeCurrencies;

/**
 * The bank's HTTP API end to end, through MockMvc and the real event store: the same behaviour on
 * every database the application runs on. Snapshots are taken every 3 events here.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class BankBehaviour {

    @Autowired
    MockMvc http;

    @Autowired
    EventStorage eventStorage;

    @Test
    void openDepositWithdrawAndReadTheBalance() throws Exception {
        String id = open("acme", "Ada");

        send("acme", "/accounts/" + id + "/deposits", "{\"amount\": 100.50}").andExpect(status().isOk())
                .andExpect(jsonPath("$.balance").value(100.50)).andExpect(jsonPath("$.version").value(2));
        send("acme", "/accounts/" + id + "/withdrawals", "{\"amount\": 30.25}").andExpect(status().isOk());

        http.perform(get("/accounts/" + id).header("X-Tenant-Id", "acme"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.owner").value("Ada"))
                .andExpect(jsonPath("$.balance").value(70.25))
                .andExpect(jsonPath("$.version").value(3));
    }

    @Test
    void overdraftIsRefusedWithConflictAndChangesNothing() throws Exception {
        String id = open("acme", "Bob");
        send("acme", "/accounts/" + id + "/deposits", "{\"amount\": 10}");

        send("acme", "/accounts/" + id + "/withdrawals", "{\"amount\": 10.01}")
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Insufficient funds"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("10.01")));

        balance("acme", id, "10");
    }

    @Test
    void transferMovesMoneyBetweenTwoAccountsOfTheTenant() throws Exception {
        String from = open("acme", "Ada");
        String to = open("acme", "Bob");
        send("acme", "/accounts/" + from + "/deposits", "{\"amount\": 50}");

        send("acme", "/transfers", "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 20}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.balance").value(30));

        balance("acme", from, "30");
        balance("acme", to, "20");
    }

    @Test
    void transferThatWouldOverdrawChangesNeitherAccount() throws Exception {
        String from = open("acme", "Ada");
        String to = open("acme", "Bob");
        send("acme", "/accounts/" + from + "/deposits", "{\"amount\": 5}");

        send("acme", "/transfers", "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 6}")
                .andExpect(status().isConflict());

        balance("acme", from, "5");
        balance("acme", to, "0");
    }

    @Test
    void transferToTheSameAccountIsABadRequest() throws Exception {
        String id = open("acme", "Ada");

        send("acme", "/transfers", "{\"from\": \"" + id + "\", \"to\": \"" + id + "\", \"amount\": 1}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(id)));
    }

    @Test
    void tenantsSeeOnlyTheirOwnAccounts() throws Exception {
        String id = open("acme", "Ada");

        http.perform(get("/accounts/" + id).header("X-Tenant-Id", "globex")).andExpect(status().isNotFound());
        http.perform(get("/accounts/" + id)).andExpect(status().isNotFound());
        send("globex", "/accounts/" + id + "/deposits", "{\"amount\": 1}").andExpect(status().isNotFound());
        http.perform(get("/accounts/" + id).header("X-Tenant-Id", "acme")).andExpect(status().isOk());
    }

    @Test
    void invalidTenantHeaderIsABadRequestNamingTheValue() throws Exception {
        http.perform(post("/accounts").header("X-Tenant-Id", "../etc").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"owner\": \"Eve\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid tenant"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("../etc")));
    }

    @Test
    void invalidFieldsAreABadRequestNamingEachField() throws Exception {
        send("acme", "/accounts", "{\"owner\": \" \"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors.owner").exists());
        String id = open("acme", "Ada");
        send("acme", "/accounts/" + id + "/deposits", "{\"amount\": -5}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors.amount").exists());
        send("acme", "/accounts/" + id + "/deposits", "{\"amount\": 1.001}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors.amount").exists());
        balance("acme", id, "0");
    }

    @Test
    void unknownAccountIsNotFound() throws Exception {
        http.perform(get("/accounts/" + UUID.randomUUID()).header("X-Tenant-Id", "acme"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Account not found"));
    }

    @Test
    void historyIsTheLatestSnapshotThenTheEventsAfterIt() throws Exception {
        String id = open("acme", "Ada");
        for (int i = 1; i <= 4; i++) {
            send("acme", "/accounts/" + id + "/deposits", "{\"amount\": " + i + "}");
        }

        http.perform(get("/accounts/" + id + "/history").header("X-Tenant-Id", "acme"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(3))
                .andExpect(jsonPath("$[0].type").value("bank.AccountSnapshot"))
                .andExpect(jsonPath("$[0].snapshot").value(true))
                .andExpect(jsonPath("$[0].version").value(3))
                .andExpect(jsonPath("$[0].data.balance").value(3))
                .andExpect(jsonPath("$[1].type").value("bank.MoneyDeposited"))
                .andExpect(jsonPath("$[1].version").value(4))
                .andExpect(jsonPath("$[2].version").value(5));
        balance("acme", id, "10");
    }

    @Test
    void concurrentWithdrawalsNeverOverdrawAndLosersGetAConflict() throws Exception {
        String id = open("acme", "Ada");
        send("acme", "/accounts/" + id + "/deposits", "{\"amount\": 50}");
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<Integer>> withdrawals = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            withdrawals.add(() -> {
                start.await(30, TimeUnit.SECONDS);
                return send("acme", "/accounts/" + id + "/withdrawals", "{\"amount\": 10}").andReturn()
                        .getResponse().getStatus();
            });
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> status : executor.invokeAll(withdrawals)) {
                statuses.add(status.get());
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(statuses).containsOnly(200, 409).contains(200);
        long succeeded = statuses.stream().filter(status -> status == 200).count();
        balance("acme", id, String.valueOf(50 - 10 * succeeded));
    }

    /**
     * A deposit the bank stored before deposits recorded a currency (schema version 1) is read through the
     * bank's upcaster as a deposit in euros: by the repository (the balance, the next command), by
     * {@code loadStream} (the history) and by the projection (the read model). Its row stays as it was.
     */
    @Test
    void depositsStoredBeforeCurrenciesCountAsEuros() throws Exception {
        String tenant = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
        String id = open(tenant, "Ada");
        EventStore earlierBank = StorageEventStore.builder(eventStorage)
                .registry(new EventTypeRegistry().register(DepositBeforeCurrencies.class))
                .build().scopedForTenant(tenant);
        earlierBank.appendEvents(StreamId.of(UUID.fromString(id)).withCategory("account"), 1,
                new DepositBeforeCurrencies(new BigDecimal("40.00")));

        http.perform(get("/accounts/" + id + "/history").header("X-Tenant-Id", tenant))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[1].type").value("bank.MoneyDeposited"))
                .andExpect(jsonPath("$[1].data.amount").value(40.0))
                .andExpect(jsonPath("$[1].data.currency").value("EUR"));
        send(tenant, "/accounts/" + id + "/withdrawals", "{\"amount\": 15}").andExpect(status().isOk())
                .andExpect(jsonPath("$.balance").value(25)).andExpect(jsonPath("$.version").value(3));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String balances = http.perform(get("/balances").header("X-Tenant-Id", tenant))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(new BigDecimal(JsonPath.<List<Object>>read(balances, "$[*].balance").get(0).toString()))
                    .isEqualByComparingTo("25");
        });
        assertThat(earlierBank.loadStream(StreamId.of(UUID.fromString(id)).withCategory("account"), 2L, 3L))
                .extracting(event -> (Object) event.event())
                .containsExactly(new DepositBeforeCurrencies(new BigDecimal("40.00")));
    }

    /**
     * Two transfers crossing between the same accounts at once lock the accounts' streams in opposite
     * orders: one of them loses (a conflict, or a deadlock the database breaks), gets 409, and nothing of it
     * is written. An outcome the application is told about is not logged as a warning by anyone.
     */
    @Test
    void crossingTransfersConflictQuietlyAndKeepTheMoney(CapturedOutput output) throws Exception {
        String ada = open("acme", "Ada");
        String bob = open("acme", "Bob");
        send("acme", "/accounts/" + ada + "/deposits", "{\"amount\": 1000}").andExpect(status().isOk());
        send("acme", "/accounts/" + bob + "/deposits", "{\"amount\": 1000}").andExpect(status().isOk());
        int logged = output.length();
        List<Integer> statuses = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40 && !statuses.contains(409); round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                List<Callable<Integer>> transfers = List.of(() -> transfer(start, ada, bob), () -> transfer(start, bob, ada));
                for (Future<Integer> status : executor.invokeAll(transfers)) {
                    statuses.add(status.get());
                }
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(statuses).containsOnly(200, 409).contains(409);
        String during = output.toString().substring(logged);
        assertThat(during).doesNotContain(" WARN ").doesNotContain(" ERROR ").doesNotContain("HHH000247");
        // every transfer that succeeded moved money between the two: the total is what was deposited
        BigDecimal total = balanceOf(ada).add(balanceOf(bob));
        assertThat(total).isEqualByComparingTo("2000");
    }

    private int transfer(CyclicBarrier start, String from, String to) throws Exception {
        start.await(30, TimeUnit.SECONDS);
        return send("acme", "/transfers", "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 1}")
                .andReturn().getResponse().getStatus();
    }

    private BigDecimal balanceOf(String id) throws Exception {
        String body = http.perform(get("/accounts/" + id).header("X-Tenant-Id", "acme")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        return new BigDecimal(JsonPath.read(body, "$.balance").toString());
    }

    private String open(String tenant, String owner) throws Exception {
        String body = send(tenant, "/accounts", "{\"owner\": \"" + owner + "\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/accounts/")))
                .andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$.id");
    }

    @Test
    void theReadModelProjectionShowsBalancesAndTransfersOfTheTenantOnly() throws Exception {
        String tenant = "readmodel-" + UUID.randomUUID().toString().substring(0, 8);
        String from = open(tenant, "Ada");
        String to = open(tenant, "Bob");
        String elsewhere = open("other-" + tenant, "Eve");
        send(tenant, "/accounts/" + from + "/deposits", "{\"amount\": 50}").andExpect(status().isOk());
        send(tenant, "/accounts/" + from + "/withdrawals", "{\"amount\": 5}").andExpect(status().isOk());
        send(tenant, "/transfers", "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 20}")
                .andExpect(status().isOk());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String balances = http.perform(get("/balances").header("X-Tenant-Id", tenant))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(JsonPath.<List<String>>read(balances, "$[*].account")).containsExactly(from, to);
            assertThat(JsonPath.<List<Object>>read(balances, "$[*].balance").stream()
                    .map(value -> new BigDecimal(value.toString())).toList())
                    .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal(25), new BigDecimal(20));
        });
        String transfers = http.perform(get("/transfers").header("X-Tenant-Id", tenant))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<List<String>>read(transfers, "$[*].from")).containsExactly(from);
        assertThat(JsonPath.<List<String>>read(transfers, "$[*].to")).containsExactly(to);
        assertThat(elsewhere).isNotIn(from, to);
    }

    /**
     * The register of large movements is written by listeners inside the appending transactions: it shows a
     * large deposit, withdrawal and transfer as soon as the request returns, with no wait, and nothing below
     * the threshold (10,000) or of another tenant.
     */
    @Test
    void largeMovementsAreRegisteredInTheAppendingTransaction() throws Exception {
        String tenant = "register-" + UUID.randomUUID().toString().substring(0, 8);
        String from = open(tenant, "Ada");
        String to = open(tenant, "Bob");
        String elsewhere = open("other-" + tenant, "Eve");
        send(tenant, "/accounts/" + from + "/deposits", "{\"amount\": 25000}").andExpect(status().isOk());
        send(tenant, "/accounts/" + from + "/deposits", "{\"amount\": 9999.99}").andExpect(status().isOk());
        send(tenant, "/accounts/" + from + "/withdrawals", "{\"amount\": 10000}").andExpect(status().isOk());
        send(tenant, "/transfers", "{\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"amount\": 12000}")
                .andExpect(status().isOk());
        send("other-" + tenant, "/accounts/" + elsewhere + "/deposits", "{\"amount\": 50000}").andExpect(status().isOk());
        send(tenant, "/accounts/" + to + "/withdrawals", "{\"amount\": 20000}").andExpect(status().isConflict());

        String movements = http.perform(get("/large-movements").header("X-Tenant-Id", tenant))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<List<String>>read(movements, "$[*].kind"))
                .containsExactlyInAnyOrder("deposit", "withdrawal", "transfer");
        assertThat(JsonPath.<List<String>>read(movements, "$[*].account")).containsOnly(from);
        assertThat(JsonPath.<List<Object>>read(movements, "$[*].amount").stream()
                .map(value -> new BigDecimal(value.toString())).toList())
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactlyInAnyOrder(new BigDecimal(25000), new BigDecimal(10000), new BigDecimal(12000));
    }

    /** Actuator shows the read model's projection with its checkpoint and lag, and the store's health. */
    @Test
    void theEventStoreEndpointShowsTheProjectionCatchingUp() throws Exception {
        String id = open("acme", "Ada");
        send("acme", "/accounts/" + id + "/deposits", "{\"amount\": 5}").andExpect(status().isOk());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = http.perform(get("/actuator/eventstore")).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString();
            long head = ((Number) JsonPath.read(body, "$.head")).longValue();
            assertThat(head).isPositive();
            assertThat(JsonPath.<List<String>>read(body, "$.projections[*].name")).containsExactly("account-balances");
            assertThat(JsonPath.<String>read(body, "$.projections[0].state")).isEqualTo("RUNNING");
            assertThat(((Number) JsonPath.read(body, "$.projections[0].checkpoint")).longValue()).isEqualTo(head);
            assertThat(((Number) JsonPath.read(body, "$.projections[0].lag")).longValue()).isZero();
        });
        http.perform(get("/actuator/health/eventStore")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.details.projections.account-balances.state").value("RUNNING"));
        // operations are off in the sample: the endpoint only reads
        http.perform(post("/actuator/eventstore/account-balances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"action\": \"pause\"}")).andExpect(status().is4xxClientError());
    }

    private ResultActions send(String tenant, String path, String json) throws Exception {
        return http.perform(post(path).header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private void balance(String tenant, String id, String expected) throws Exception {
        String body = http.perform(get("/accounts/" + id).header("X-Tenant-Id", tenant))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(new BigDecimal(JsonPath.read(body, "$.balance").toString())).isEqualByComparingTo(expected);
    }
}
