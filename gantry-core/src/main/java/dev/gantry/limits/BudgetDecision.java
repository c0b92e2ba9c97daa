package dev.gantry.limits;

/**
 * What {@link BudgetLedger#reserve} decided: a {@link Reservation} on every budget, or a
 * {@link BudgetRefusal} naming the one that had no room. A value rather than an exception because
 * refusing is an ordinary outcome on the hot path (no stack trace to fill in) and a switch over the
 * sealed type makes the caller handle both.
 */
public sealed interface BudgetDecision permits Reservation, BudgetRefusal {
}
