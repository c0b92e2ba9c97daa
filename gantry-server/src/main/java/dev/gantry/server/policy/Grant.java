package dev.gantry.server.policy;

import dev.gantry.limits.Admission;
import dev.gantry.limits.RateLimitStatus;
import dev.gantry.limits.Reservation;

/**
 * What the limits step granted a request: its rate admission (parallel slots, tokens counted) and
 * its budget reservation (worst-case cost held). {@link #end} hands both back with what the request
 * really used. Ending twice is harmless (the admission and the reservation each accept one release
 * only), so every path that ends a request may call it without asking whether another did.
 */
public final class Grant implements LimitsDecision {
    /** For a request that no limit or budget applies to (the usual case): ending it does nothing. */
    public static final Grant NONE = new Grant(null, null, null, RateLimitStatus.NONE, 0, 0);

    private final LimitsStep step;
    private final Admission admission;
    private final Reservation reservation;
    private final RateLimitStatus status;
    private final long worstCostNanos;
    private final long worstTokens;

    /** @param admission null if no rate limit applied; @param reservation null if no budget applied */
    Grant(LimitsStep step, Admission admission, Reservation reservation, RateLimitStatus status, long worstCostNanos,
          long worstTokens) {
        this.step = step;
        this.admission = admission;
        this.reservation = reservation;
        this.status = status;
        this.worstCostNanos = worstCostNanos;
        this.worstTokens = worstTokens;
    }

    /** The tightest rate limits, for the {@code x-ratelimit-*} headers of the answer. */
    public RateLimitStatus status() { return status; }

    /** Frees the request's parallel slots and replaces its estimates by what it used and cost. */
    public void end(long costNanos, long tokens) {
        if (step != null) step.end(admission, reservation, costNanos, tokens);
    }

    /** Ends a request whose usage is not known (its usage event was dropped): it counts its worst case. */
    public void endAtWorstCase() {
        end(worstCostNanos, worstTokens);
    }
}
