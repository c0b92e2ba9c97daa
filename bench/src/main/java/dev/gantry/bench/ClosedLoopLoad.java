package dev.gantry.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Saturation: {@code connections} workers, spread over the load generator's event loops, each
 * sending its next request as soon as the previous answer has ended. Throughput is the number of
 * successful answers that ended inside the window, divided by the window; latency here is service
 * time (from send), not what a user at a fixed rate would see (see {@link FixedRateLoad}).
 *
 * <p>Workers stop sending at the end of the window; answers still under way are waited for (and a
 * failure among them still counts) so that the next phase starts on a quiet machine.
 */
final class ClosedLoopLoad {
    private final LoadClient client;

    ClosedLoopLoad(LoadClient client) {
        this.client = client;
    }

    /** A load under way. */
    final class Running {
        private final CountDownLatch stopped;
        private final AtomicInteger outstanding;
        private final Tally tally;
        final long startNanos;
        final long deadlineNanos;

        private Running(int workers, Tally tally, long startNanos, long deadlineNanos) {
            this.stopped = new CountDownLatch(workers);
            this.outstanding = new AtomicInteger(workers);
            this.tally = tally;
            this.startNanos = startNanos;
            this.deadlineNanos = deadlineNanos;
        }

        /** Waits for the window to end and the last answers to arrive (at most {@code drainMs} after it). */
        void await(long drainMs) throws InterruptedException {
            long waitNanos = deadlineNanos - System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMs);
            if (!stopped.await(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
                int left = outstanding.get();
                for (int i = 0; i < left; i++) tally.error("no answer " + drainMs + " ms after the window");
            }
        }

        double seconds() {
            return (deadlineNanos - startNanos) / 1e9;
        }
    }

    /**
     * Starts {@code connections} workers sending requests to {@code target} for {@code durationMs}.
     *
     * @param kinds the requests, one per kind; worker {@code i} sends {@code kinds[i % n]}
     */
    Running start(Target target, Request[] kinds, int connections, long durationMs, Tally tally) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(durationMs);
        Running running = new Running(connections, tally, start, deadline);
        for (int w = 0; w < connections; w++) {
            int loop = w % client.loops();
            Request request = kinds[w % kinds.length];
            client.context(loop).runOnContext(v -> next(loop, target, request, running));
        }
        return running;
    }

    private void next(int loop, Target target, Request request, Running running) {
        long now = System.nanoTime();
        if (now - running.deadlineNanos >= 0) {
            running.outstanding.decrementAndGet();
            running.stopped.countDown();
            return;
        }
        client.send(loop, target, new Call(request, now), call -> {
            running.tally.add(call, call.endNanos - running.deadlineNanos <= 0);
            if (call.ok()) {
                next(loop, target, request, running);
            } else { // a failure may be reported synchronously: do not recurse
                client.context(loop).runOnContext(x -> next(loop, target, request, running));
            }
        });
    }
}
