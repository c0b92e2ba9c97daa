package dev.gantry.identity;

import dev.gantry.limits.BudgetPeriod;
import java.util.Objects;

/**
 * The budget and rate limits that a key, a user, a team or the organisation may carry. Every
 * limit is optional: null means none at this level (the levels above and below still apply).
 *
 * @param budgetUsdNanos spend allowed per period, in nano-dollars
 * @param budgetTokens   input plus output tokens allowed per period
 * @param budgetPeriod   when both budgets start again from zero; never null
 * @param rpm            requests per minute
 * @param tpm            tokens per minute
 * @param maxParallel    requests in flight at once
 */
public record Quota(Long budgetUsdNanos, Long budgetTokens, BudgetPeriod budgetPeriod, Integer rpm, Integer tpm,
                    Integer maxParallel) {
    /** No budget and no limit, counted by month should a budget be set later. */
    public static final Quota NONE = new Quota(null, null, BudgetPeriod.MONTH, null, null, null);

    public Quota {
        Objects.requireNonNull(budgetPeriod, "budgetPeriod");
        requireNotNegative("budgetUsdNanos", budgetUsdNanos);
        requireNotNegative("budgetTokens", budgetTokens);
        requireNotNegative("rpm", rpm);
        requireNotNegative("tpm", tpm);
        requireNotNegative("maxParallel", maxParallel);
    }

    public boolean hasBudget() { return budgetUsdNanos != null || budgetTokens != null; }

    public boolean hasRateLimit() { return rpm != null || tpm != null || maxParallel != null; }

    private static void requireNotNegative(String name, Number value) {
        if (value != null && value.longValue() < 0) throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
}
