package dev.gantry.server.policy;

import dev.gantry.error.GatewayException;
import dev.gantry.limits.RateLimitStatus;

/**
 * A request refused by a rate limit or a budget: the 429 to answer in the client's protocol.
 *
 * @param retryAfterSeconds for the {@code retry-after} header; 0 for none (a budget that never resets)
 * @param status            for the {@code x-ratelimit-*} headers
 */
public record Refusal(GatewayException error, long retryAfterSeconds, RateLimitStatus status) implements LimitsDecision {
}
