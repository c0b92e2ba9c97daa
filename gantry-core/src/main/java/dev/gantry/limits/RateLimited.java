package dev.gantry.limits;

import java.time.Duration;

/**
 * A request refused by a rate limit: the 429 {@code rate_limited} answer.
 *
 * @param limit      the first limit, in the order given, that refused
 * @param kind       which of its limits
 * @param retryAfter when the request would fit, if nothing else arrives first. A request asking
 *                   for more tokens than {@code tpm} never fits; it gets a full minute.
 * @param status     for the {@code x-ratelimit-*} headers
 */
public record RateLimited(RateLimit limit, Kind kind, Duration retryAfter, RateLimitStatus status) implements RateDecision {
    public enum Kind { REQUESTS, TOKENS, PARALLEL }

    /** For the {@code retry-after} header: whole seconds, rounded up, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1_000);
    }
}
