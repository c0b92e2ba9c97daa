package dev.gantry.limits;

import java.time.Instant;

/**
 * What the {@link BudgetLedger} tells the server. Called on the request thread that caused the
 * event, outside any lock of the ledger: implementations hand the work off (a webhook post, a
 * database query) and return at once.
 */
public interface BudgetListener {
    /** Spend crossed a threshold; called once per scope, unit, threshold and window. */
    void thresholdCrossed(BudgetAlert alert);

    /**
     * The ledger started counting a window whose earlier spend it does not know: a scope seen for
     * the first time (or again after {@link BudgetLedger#sweep}), or a budget whose period changed.
     * Until the server answers with {@link BudgetLedger#loadSpent}, the window counts from zero.
     * Called once per such window.
     */
    void spendUnknown(Scope scope, BudgetPeriod period, Instant windowStart);
}
