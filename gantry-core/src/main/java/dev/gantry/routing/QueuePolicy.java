package dev.gantry.routing;

import java.time.Duration;

/**
 * What happens when every deployment of a model is at its {@code max_concurrent}: up to
 * {@code maxWaiting} requests wait, each at most {@code maxWait} (and never past its retry
 * deadline), for a slot; beyond that, 429 with {@code retry-after}.
 */
public record QueuePolicy(int maxWaiting, Duration maxWait) {
    public static final QueuePolicy DEFAULT = new QueuePolicy(100, Duration.ofSeconds(30));
}
