package dev.gantry.routing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes a deployment that keeps failing out of rotation for a while, then lets one request probe
 * it before trusting it again.
 *
 * <p>Design: lock-free, since every request of every event loop touches it. {@code openUntil} is 0
 * while closed. After {@code threshold} consecutive failures it opens until {@code now + cooldown};
 * past that instant it is half-open: the first caller to win the {@code probe} flag is let through,
 * the rest are not. The probe's success closes it; its failure opens it again. Races between
 * concurrent results are benign: at worst a breaker opens one failure late or closes one success
 * early.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long cooldownNanos;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong openUntil = new AtomicLong();
    private final AtomicBoolean probe = new AtomicBoolean();

    public CircuitBreaker(int threshold, Duration cooldown) {
        this.threshold = threshold;
        this.cooldownNanos = cooldown.toNanos();
    }

    public State state(long now) {
        long until = openUntil.get();
        if (until == 0) return State.CLOSED;
        return now - until < 0 ? State.OPEN : State.HALF_OPEN;
    }

    /** Whether a request may go now, without claiming the half-open probe. */
    boolean mayAllow(long now) {
        State s = state(now);
        return s == State.CLOSED || s == State.HALF_OPEN && !probe.get();
    }

    /** Lets a request through, claiming the probe when half-open. */
    boolean tryAllow(long now) {
        return switch (state(now)) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> probe.compareAndSet(false, true);
        };
    }

    /** The request let through said nothing of the deployment's health: let another probe go. */
    public void onNeutral() {
        probe.set(false);
    }

    public void onSuccess() {
        consecutiveFailures.set(0);
        openUntil.set(0);
        probe.set(false);
    }

    public void onFailure(long now) {
        if (probe.compareAndSet(true, false) || consecutiveFailures.incrementAndGet() >= threshold) {
            openUntil.set(now + cooldownNanos == 0 ? 1 : now + cooldownNanos);
            consecutiveFailures.set(0);
        }
    }
}
