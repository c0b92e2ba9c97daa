package dev.gantry.limits;

import dev.gantry.identity.Quota;
import java.util.Objects;
import java.util.Optional;

/**
 * A budget on one scope: money and/or tokens allowed per period. A null amount means no budget of
 * that kind; at least one is set.
 *
 * @param usdNanos spend allowed per period, in nano-dollars
 * @param tokens   input plus output tokens allowed per period
 */
public record BudgetLimit(Scope scope, Long usdNanos, Long tokens, BudgetPeriod period) {
    /** What a budget counts: refusals and alerts say which of the two ran out. */
    public enum Unit { USD_NANOS, TOKENS }

    public BudgetLimit {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        if (usdNanos == null && tokens == null) throw new IllegalArgumentException("budget of " + scope + " limits nothing");
        if (usdNanos != null && usdNanos < 0) throw new IllegalArgumentException("usdNanos must not be negative: " + usdNanos);
        if (tokens != null && tokens < 0) throw new IllegalArgumentException("tokens must not be negative: " + tokens);
    }

    /** The budget a key, user, team or the organisation carries, if it has one. */
    public static Optional<BudgetLimit> from(Scope scope, Quota quota) {
        if (!quota.hasBudget()) return Optional.empty();
        return Optional.of(new BudgetLimit(scope, quota.budgetUsdNanos(), quota.budgetTokens(), quota.budgetPeriod()));
    }
}
