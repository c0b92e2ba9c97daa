package dev.gantry.usage;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What tokens really cost on GPUs paid by the hour. A self-hosted deployment's {@code cost_per_hour}
 * is spread over the tokens it served in the last hour (or since it was first used, at least a
 * minute): at 10 million tokens an hour, a 2 USD/hour server costs 0.20 USD per million tokens; the
 * same server idling at 100,000 tokens an hour costs 20 USD per million. That is the honest figure
 * for comparing a fleet with per-token prices, idle time included.
 *
 * <p>Fed by the usage recorder's single thread; read by the admin API: methods are synchronized
 * (both callers are off the request path). Minute buckets keep the window's memory fixed.
 */
public final class SelfHostedCost {
    private static final long WINDOW_MILLIS = 3_600_000;
    private static final long BUCKET_MILLIS = 60_000;
    private static final long MIN_WINDOW_MILLIS = BUCKET_MILLIS;

    private record Bucket(long startMillis, long[] tokens) {}

    private static final class Window {
        final ArrayDeque<Bucket> buckets = new ArrayDeque<>();
        long firstMillis = -1;
        long tokens;
    }

    private final Map<String, Window> windows = new HashMap<>();

    /** Counts tokens a deployment served at {@code nowMillis}. */
    public synchronized void served(String deploymentId, long tokens, long nowMillis) {
        Window w = windows.computeIfAbsent(deploymentId, id -> new Window());
        if (w.firstMillis < 0) w.firstMillis = nowMillis;
        expire(w, nowMillis);
        Bucket last = w.buckets.peekLast();
        long bucketStart = nowMillis - Math.floorMod(nowMillis, BUCKET_MILLIS);
        if (last == null || last.startMillis() != bucketStart) w.buckets.addLast(last = new Bucket(bucketStart, new long[1]));
        last.tokens()[0] += tokens;
        w.tokens += tokens;
    }

    /**
     * Cost in nano-dollars of {@code tokens} served by a deployment costing {@code costPerHourMicros}
     * micro-dollars an hour, at its current throughput. Call after {@link #served} for them.
     */
    public synchronized long costNanos(String deploymentId, long tokens, long costPerHourMicros, long nowMillis) {
        Window w = windows.get(deploymentId);
        if (w == null || w.tokens == 0 || tokens == 0) return 0;
        expire(w, nowMillis);
        long windowMillis = Math.max(MIN_WINDOW_MILLIS, Math.min(WINDOW_MILLIS, nowMillis - w.firstMillis));
        // tokens / windowTokens of the window's cost (costPerHour * windowMillis / 1 h), micro -> nano
        return BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(costPerHourMicros))
                .multiply(BigInteger.valueOf(windowMillis)).multiply(BigInteger.valueOf(1_000))
                .divide(BigInteger.valueOf(WINDOW_MILLIS).multiply(BigInteger.valueOf(Math.max(w.tokens, 1))))
                .longValueExact();
    }

    /** The current effective price in micro-dollars per million tokens, or -1 when nothing was served yet. */
    public synchronized long effectiveMicrosPerMtok(String deploymentId, long costPerHourMicros, long nowMillis) {
        Window w = windows.get(deploymentId);
        if (w == null || w.tokens == 0) return -1;
        return costNanos(deploymentId, 1_000_000, costPerHourMicros, nowMillis) / 1_000;
    }

    private static void expire(Window w, long nowMillis) {
        while (!w.buckets.isEmpty() && w.buckets.peekFirst().startMillis() <= nowMillis - WINDOW_MILLIS) {
            w.tokens -= w.buckets.pollFirst().tokens()[0];
        }
    }
}
