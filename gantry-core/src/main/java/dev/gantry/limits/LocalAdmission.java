package dev.gantry.limits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** An admission by {@link LocalLimitCounters}: the scopes' counters and the bucket it was counted in on each. */
final class LocalAdmission implements Admission {
    /** For a request that no limit applies to: releasing it does nothing. */
    static final LocalAdmission UNLIMITED = new LocalAdmission(new ScopeRate[0], new long[0], 0, RateLimitStatus.NONE);

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(LocalAdmission.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ScopeRate[] rates;
    final long[] minutes;
    private final long tokenEstimate;
    private final RateLimitStatus status;
    @SuppressWarnings("unused") // through RELEASED
    private volatile boolean released;

    LocalAdmission(ScopeRate[] rates, long[] minutes, long tokenEstimate, RateLimitStatus status) {
        this.rates = rates;
        this.minutes = minutes;
        this.tokenEstimate = tokenEstimate;
        this.status = status;
    }

    @Override
    public long tokenEstimate() { return tokenEstimate; }

    @Override
    public RateLimitStatus status() { return status; }

    /** True for the first caller only: releasing twice would free a slot someone else holds. */
    boolean claimRelease() { return RELEASED.compareAndSet(this, false, true); }
}
