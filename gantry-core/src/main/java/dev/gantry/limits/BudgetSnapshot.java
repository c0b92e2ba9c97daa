package dev.gantry.limits;

import java.time.Instant;
import java.util.Optional;

/**
 * One scope's budget window as the ledger sees it now, for the admin API.
 *
 * @param limit the budget last enforced on the scope; empty if the ledger only loaded its spend
 */
public record BudgetSnapshot(Scope scope, BudgetPeriod period, Instant windowStart, Optional<Instant> resetAt,
                             long spentNanos, long spentTokens, long reservedNanos, long reservedTokens,
                             Optional<BudgetLimit> limit) {
}
