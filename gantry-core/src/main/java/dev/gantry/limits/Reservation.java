package dev.gantry.limits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A request's worst case, held on every budget that applies to it until
 * {@link BudgetLedger#settle} replaces it by the real cost. Settle it exactly once, also when the
 * request failed; a second settle is ignored.
 */
public final class Reservation implements BudgetDecision {
    /** For a request that no budget applies to: settling it does nothing. */
    static final Reservation NONE = new Reservation(List.of(), new ScopeSpend[0], new long[0], 0, 0);

    private static final VarHandle SETTLED;

    static {
        try {
            SETTLED = MethodHandles.lookup().findVarHandle(Reservation.class, "settled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final List<BudgetLimit> limits;
    /** The ledger's state of each limit's scope, and the window each reservation was made in. */
    final ScopeSpend[] spends;
    final long[] generations;
    private final long worstCostNanos;
    private final long worstTokens;
    @SuppressWarnings("unused") // through SETTLED
    private volatile boolean settled;

    Reservation(List<BudgetLimit> limits, ScopeSpend[] spends, long[] generations, long worstCostNanos, long worstTokens) {
        this.limits = limits;
        this.spends = spends;
        this.generations = generations;
        this.worstCostNanos = worstCostNanos;
        this.worstTokens = worstTokens;
    }

    /** The budgets reserved on, as given to {@link BudgetLedger#reserve}. */
    public List<BudgetLimit> limits() { return limits; }

    public long worstCostNanos() { return worstCostNanos; }

    public long worstTokens() { return worstTokens; }

    /** True for the first caller only: settling twice would free the reservation twice. */
    boolean claimSettle() { return SETTLED.compareAndSet(this, false, true); }
}
