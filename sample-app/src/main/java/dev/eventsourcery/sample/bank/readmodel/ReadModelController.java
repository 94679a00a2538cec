package dev.eventsourcery.sample.bank.readmodel;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.eventsourcery.eventstore.TenantResolver;

/**
 * Serves the read model of the {@link AccountBalances} projection, in the tenant of the request. It lags the
 * appends by the projection's delay: a balance read here may not show a deposit made a moment ago (the
 * account's own endpoint, which loads its stream, always does). The register of {@link LargeMovements} is
 * written in the appending transactions and never lags.
 */
@RestController
public class ReadModelController {

    private final AccountBalances balances;
    private final LargeMovements largeMovements;
    private final TenantResolver tenants;

    public ReadModelController(AccountBalances balances, LargeMovements largeMovements, TenantResolver tenants) {
        this.balances = balances;
        this.largeMovements = largeMovements;
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

    /** The register of large movements, written with the appends: never behind them. */
    @GetMapping("/large-movements")
    public List<LargeMovements.Movement> largeMovements(@RequestParam(defaultValue = "20") int limit) {
        return largeMovements.movements(tenants.currentTenant(), Math.max(1, Math.min(limit, 100)));
    }
}
