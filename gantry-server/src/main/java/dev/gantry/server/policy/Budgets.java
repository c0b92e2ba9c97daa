package dev.gantry.server.policy;

import dev.gantry.config.GatewayConfig.GovernanceSettings;
import dev.gantry.limits.BudgetAlert;
import dev.gantry.limits.BudgetLedger;
import dev.gantry.limits.BudgetLimit;
import dev.gantry.limits.BudgetListener;
import dev.gantry.limits.BudgetPeriod;
import dev.gantry.limits.Scope;
import dev.gantry.server.alerts.AlertSink;
import dev.gantry.server.identity.Directory;
import dev.gantry.store.Spend;
import dev.gantry.store.SpendTotals;
import dev.gantry.store.UsageRepository;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget ledger and what it needs from the rest of the gateway: spend from before the process
 * started, read from {@code usage_records} (at start for every budget, later for a scope the ledger
 * starts counting), and alerts when spend crosses a threshold.
 *
 * <p>The ledger calls back on the request's thread; everything here hands work off at once: a
 * database read goes to a worker thread ({@code executeBlocking}), an alert to the HTTP client.
 */
public final class Budgets implements BudgetListener {
    private static final Logger log = LoggerFactory.getLogger(Budgets.class);
    /** A spend read that failed (database down) is tried again this often, this many times. */
    private static final Duration RETRY = Duration.ofSeconds(10);
    private static final int ATTEMPTS = 6;

    private final BudgetLedger ledger;
    private final UsageRepository usage;
    private final Vertx vertx;
    private final BudgetAlerts alerts;

    /** @param alerts where threshold alerts go */
    public Budgets(GovernanceSettings settings, UsageRepository usage, Directory directory, Vertx vertx, AlertSink alerts) {
        this.usage = usage;
        this.vertx = vertx;
        this.alerts = new BudgetAlerts(alerts, new Messages(new ScopeNames(directory)));
        // the ledger only keeps the listener; it calls it once requests flow, after this constructor
        this.ledger = new BudgetLedger(settings.timeZone(), settings.alertThresholds(), this);
    }

    public BudgetLedger ledger() { return ledger; }

    /**
     * Seeds the ledger with the spend of every budget's current window: one query per period in
     * use. Blocking; at start, before requests are served.
     */
    public void loadAll(Collection<BudgetLimit> budgets, Instant now) {
        var byPeriod = new EnumMap<BudgetPeriod, List<Scope>>(BudgetPeriod.class);
        for (BudgetLimit b : budgets) byPeriod.computeIfAbsent(b.period(), p -> new ArrayList<>()).add(b.scope());
        byPeriod.forEach((period, scopes) -> {
            Instant start = ledger.windowStart(period, now);
            SpendTotals totals = usage.spendSince(start);
            for (Scope scope : scopes) {
                Spend spent = spendOf(totals, scope);
                ledger.loadSpent(scope, period, start, spent.costNanos(), spent.tokens());
            }
        });
        if (!budgets.isEmpty()) log.info("budgets: loaded the spend of {} budget(s)", budgets.size());
    }

    @Override
    public void thresholdCrossed(BudgetAlert alert) {
        alerts.post(alert);
    }

    @Override
    public void spendUnknown(Scope scope, BudgetPeriod period, Instant windowStart) {
        load(scope, period, windowStart, 1);
    }

    private void load(Scope scope, BudgetPeriod period, Instant windowStart, int attempt) {
        vertx.executeBlocking(() -> usage.spendSince(windowStart), false).onComplete(read -> {
            if (read.succeeded()) {
                Spend spent = spendOf(read.result(), scope);
                ledger.loadSpent(scope, period, windowStart, spent.costNanos(), spent.tokens());
            } else if (attempt < ATTEMPTS) {
                vertx.setTimer(RETRY.toMillis(), id -> load(scope, period, windowStart, attempt + 1));
            } else {
                log.warn("spend of {} since {} could not be read; its budget counts from this process's start: {}", scope,
                        windowStart, read.cause().toString());
            }
        });
    }

    private static Spend spendOf(SpendTotals totals, Scope scope) {
        return switch (scope.type()) {
            case KEY -> totals.ofKey(scope.id());
            case USER -> totals.ofUser(scope.id());
            case TEAM -> totals.ofTeam(scope.id());
            case ORG -> totals.overall();
            case MODEL -> Spend.NONE; // models carry rate limits, not budgets
        };
    }
}
