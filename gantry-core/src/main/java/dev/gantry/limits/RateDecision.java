package dev.gantry.limits;

/**
 * What {@link LimitCounters#admit} decided: an {@link Admission} counted on every scope, or a
 * {@link RateLimited} refusal. Both carry the status for the {@code x-ratelimit-*} headers. A value
 * rather than an exception, as refusing is an ordinary outcome on the hot path.
 */
public sealed interface RateDecision permits Admission, RateLimited {
    RateLimitStatus status();
}
