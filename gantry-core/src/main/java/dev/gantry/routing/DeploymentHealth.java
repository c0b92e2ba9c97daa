package dev.gantry.routing;

import dev.gantry.catalog.Deployment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What routing knows of one deployment right now: requests in flight (against its
 * {@code max_concurrent}), a moving average of time to first token, its circuit breaker, and a
 * cool-down after it answered 429 with {@code retry-after}. Shared by all event loops, lock-free.
 */
public final class DeploymentHealth {
    /** Weight of the newest sample in the moving average of time to first token. */
    private static final double EWMA_ALPHA = 0.2;

    private final Deployment deployment;
    private final CircuitBreaker breaker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong coolUntil = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long ttftEwmaNanos;

    DeploymentHealth(Deployment deployment, CircuitBreaker breaker) {
        this.deployment = deployment;
        this.breaker = breaker;
    }

    public Deployment deployment() { return deployment; }

    public int inFlight() { return inFlight.get(); }

    public long ttftEwmaNanos() { return ttftEwmaNanos; }

    public CircuitBreaker.State breakerState(long now) { return breaker.state(now); }

    public long requests() { return requests.get(); }

    public long failures() { return failures.get(); }

    /** 0 means not cooling (nanoTime may be negative, so no instant can stand for "never"). */
    public boolean isCooling(long now) {
        long until = coolUntil.get();
        return until != 0 && now - until < 0;
    }

    boolean atCapacity() {
        int max = deployment.maxConcurrent();
        return max > 0 && inFlight.get() >= max;
    }

    /** Could take a request now (a check; {@link #tryAcquire} decides). */
    boolean isAvailable(long now) {
        return !atCapacity() && !isCooling(now) && breaker.mayAllow(now);
    }

    boolean isHealthy(long now) {
        return !isCooling(now) && breaker.mayAllow(now);
    }

    /** Takes a slot: under the concurrency cap and let through by the breaker. */
    boolean tryAcquire(long now) {
        if (isCooling(now)) return false;
        int max = deployment.maxConcurrent();
        while (true) {
            int current = inFlight.get();
            if (max > 0 && current >= max) return false;
            if (inFlight.compareAndSet(current, current + 1)) break;
        }
        if (!breaker.tryAllow(now)) {
            inFlight.decrementAndGet();
            return false;
        }
        requests.incrementAndGet();
        return true;
    }

    /** Gives the slot back after an answer that went well; {@code ttftNanos} < 0 if unknown. */
    public void releaseSuccess(long ttftNanos) {
        inFlight.decrementAndGet();
        breaker.onSuccess();
        if (ttftNanos >= 0) {
            long old = ttftEwmaNanos;
            ttftEwmaNanos = old == 0 ? ttftNanos : (long) (old + EWMA_ALPHA * (ttftNanos - old));
        }
    }

    /** Gives the slot back after the deployment failed (connection, timeout, 5xx). */
    public void releaseFailure(long now) {
        inFlight.decrementAndGet();
        failures.incrementAndGet();
        breaker.onFailure(now);
    }

    /** Gives the slot back after a 429: not a fault, but no more requests until {@code retryAfter} passed. */
    public void releaseOverloaded(long now, Duration retryAfter) {
        inFlight.decrementAndGet();
        long until = now + retryAfter.toNanos();
        coolUntil.set(until == 0 ? 1 : until);
    }

    /** Gives the slot back after an answer that says nothing of the deployment's health (client left, client error). */
    public void releaseNeutral() {
        inFlight.decrementAndGet();
        breaker.onNeutral();
    }
}
