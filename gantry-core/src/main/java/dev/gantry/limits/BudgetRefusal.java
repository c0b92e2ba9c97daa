package dev.gantry.limits;

import java.time.Instant;
import java.util.Optional;

/**
 * A request refused because its worst case does not fit in a budget: what the 429
 * {@code budget_exceeded} answer names. The numbers are those seen at the refusal.
 *
 * @param limit     the first budget, in the order given, without room
 * @param unit      which of its amounts ran out
 * @param allowed   that amount per period
 * @param spent     spent in the current window
 * @param reserved  held by requests still running
 * @param requested the refused request's worst case
 * @param resetAt   when the window ends; empty for a budget that never resets
 */
public record BudgetRefusal(BudgetLimit limit, BudgetLimit.Unit unit, long allowed, long spent, long reserved,
                            long requested, Optional<Instant> resetAt) implements BudgetDecision {
}
