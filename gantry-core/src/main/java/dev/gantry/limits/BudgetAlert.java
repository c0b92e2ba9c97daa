package dev.gantry.limits;

import java.time.Instant;
import java.util.Optional;

/**
 * A scope's spend reached one of the alert thresholds, the first time in this window.
 *
 * @param percent the threshold reached, as configured ({@code governance.alert_thresholds})
 * @param spent   spent in the window once the request that crossed it was settled
 * @param allowed the budget's amount in {@code unit}
 */
public record BudgetAlert(BudgetLimit limit, BudgetLimit.Unit unit, int percent, long spent, long allowed,
                          Instant windowStart, Optional<Instant> resetAt) {
}
