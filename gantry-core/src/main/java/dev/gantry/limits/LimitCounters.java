package dev.gantry.limits;

import java.util.List;

/**
 * Rate-limit counters: requests and tokens per minute as sliding windows, and requests in flight.
 * {@link LocalLimitCounters} serves one replica; an implementation over Redis can share them
 * between replicas. Times are wall-clock epoch milliseconds, so that minute buckets are the same
 * on every replica.
 */
public interface LimitCounters {
    /**
     * Counts a request on every limit in {@code limits} (one per scope), or on none.
     *
     * @param tokenEstimate the request's prompt estimate plus its {@code max_tokens}
     * @return an {@link Admission} to {@link #release} when the request ends, or a
     *         {@link RateLimited} naming the first limit, in the order given, that refused
     */
    RateDecision admit(List<RateLimit> limits, long tokenEstimate, long nowMillis);

    /** Frees the admission's parallel slots and corrects its tokens to {@code actualTokens}; once per admission. */
    void release(Admission admission, long actualTokens, long nowMillis);

    /** Forgets scopes idle for two minutes or more. Walks every scope: call it from a timer. */
    void sweep(long nowMillis);
}
