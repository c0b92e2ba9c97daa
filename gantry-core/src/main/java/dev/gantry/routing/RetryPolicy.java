package dev.gantry.routing;

import java.time.Duration;

/**
 * How hard the gateway tries before it gives up on a request: at most {@code maxAttempts} sends in
 * all (over deployments and fallback models), waiting {@code initialBackoff} doubled each time up
 * to {@code maxBackoff}, with jitter, and never past {@code deadline} from the request's arrival.
 * Retries happen only before the first byte reached the client.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration deadline) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60));
}
