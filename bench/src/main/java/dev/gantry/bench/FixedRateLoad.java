package dev.gantry.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open loop at a fixed rate: request {@code i} is due at {@code start + i / rate}, whatever happened
 * to the earlier ones. Latency (and time to first token) is measured from the due time, not from
 * when the request actually left, so a stall in the gateway, the load generator or the machine
 * shows up in full for every request it delayed instead of being hidden (coordinated omission).
 *
 * <p>One pacing thread sleeps until each due time and hands the request to an event loop (round
 * robin). How late the hand-over ran is kept as "send lag": if its p99 is large, the load
 * generator, not the target, was the bottleneck, and the report says so.
 */
final class FixedRateLoad {
    /** In-flight requests beyond which the target is considered overwhelmed and due requests are
     * counted as failures instead of sent (keeps a stalled target from exhausting memory). */
    private static final int MAX_OUTSTANDING = 20_000;

    private final LoadClient client;

    FixedRateLoad(LoadClient client) {
        this.client = client;
    }

    /** What came out besides the tally: the pacing quality. */
    record Pacing(long due, Histogram sendLag) {}

    /**
     * Runs for {@code durationMs} at {@code ratePerSecond} and waits for the answers (at most
     * {@code drainMs} after the last due time).
     */
    Pacing run(Target target, Request request, double ratePerSecond, long durationMs, long drainMs,
               Tally tally) throws InterruptedException {
        long period = Math.round(1e9 / ratePerSecond);
        long count = Math.max(1, Math.round(ratePerSecond * durationMs / 1000.0));
        AtomicInteger outstanding = new AtomicInteger();
        Recorder lag = new Recorder(3);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (long i = 0; i < count; i++) {
            long due = start + i * period;
            long now;
            while ((now = System.nanoTime()) - due < 0) {
                LockSupport.parkNanos(due - now);
            }
            if (outstanding.get() >= MAX_OUTSTANDING) {
                tally.error("not sent: " + MAX_OUTSTANDING + " requests already waiting");
                continue;
            }
            outstanding.incrementAndGet();
            int loop = (int) (i % client.loops());
            client.context(loop).runOnContext(v -> {
                lag.recordValue(Math.max(0, System.nanoTime() - due));
                client.send(loop, target, new Call(request, due), call -> {
                    tally.add(call, true);
                    outstanding.decrementAndGet();
                });
            });
        }
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMs);
        while (outstanding.get() > 0 && System.nanoTime() - giveUp < 0) {
            Thread.sleep(2);
        }
        int left = outstanding.get();
        for (int i = 0; i < left; i++) tally.error("no answer " + drainMs + " ms after the last due time");
        return new Pacing(count, lag.getIntervalHistogram());
    }
}
