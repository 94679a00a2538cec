package dev.eventsourcery.sample.bank.readmodel;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.eventsourcery.eventstore.TenantResolver;

/**
 * Serves the read model of the {@link AccountBalances} projection, in the tenant of the request. It lags the
 * appends by the projection's delay: a balance read here may not show a deposit made a moment ago (the
 * account's own endpoint, which loads its stream, always does).
 */
@RestController
public class ReadModelController {

    private final AccountBalances balances;
    private final TenantResolver tenants;

    public ReadModelController(AccountBalances balances, TenantResolver tenants) {
        this.balances = balances;
        this.tenants = tenants;
    }

    @GetMapping("/balances")
    public List<AccountBalances.Balance> balances() {
        return balances.balances(tenants.currentTenant());
    }

    @GetMapping("/transfers")
    public List<AccountBalances.Transfer> recentTransfers(@RequestParam(defaultValue = "20") int limit) {
        return balances.recentTransfers(tenants.currentTenant(), Math.max(1, Math.min(limit, 100)));
    }
}
