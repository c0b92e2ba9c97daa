package dev.gantry.limits;

/**
 * A request counted against its rate limits and holding a parallel slot on each: hand it back to
 * {@link LimitCounters#release} of the counters that made it, exactly once, when the request ends.
 * An interface so that each {@link LimitCounters} implementation keeps its own bookkeeping in it.
 */
public non-sealed interface Admission extends RateDecision {
    /** The tokens counted for the request when it was admitted. */
    long tokenEstimate();
}
