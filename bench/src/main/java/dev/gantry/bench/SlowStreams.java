package dev.gantry.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many slow streams at once, as a company's coding agents hold them open: {@code streams} workers,
 * started over {@code rampMs}, each opening its next stream as soon as the previous one ended, until
 * the window closes; streams under way then run to their end. A sampler reads the gateway's
 * {@code VmRSS} every 100 ms meanwhile. Every stream must end whole ({@code data: [DONE]}).
 */
final class SlowStreams {
    private final LoadClient client;

    SlowStreams(LoadClient client) {
        this.client = client;
    }

    record Result(int workers, long maxConcurrent, long rssBeforeKb, long peakRssKb, long rssAfterKb,
                  long lifetimePeakRssKb) {}

    /**
     * @param atWindowEnd run on the calling thread when the window closes, while the last streams
     *     are still open (the report takes the gateway's heap summary then)
     */
    Result run(Target target, Request request, int streams, long rampMs, long durationMs, long drainMs, long gatewayPid,
               Tally tally, Runnable atWindowEnd) throws InterruptedException {
        long rssBefore = ProcStats.rssKb(gatewayPid);
        AtomicLong peakRss = new AtomicLong(rssBefore);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        CountDownLatch stopped = new CountDownLatch(streams);
        AtomicInteger running = new AtomicInteger(streams);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(durationMs);

        Thread sampler = Thread.ofPlatform().daemon().name("rss-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long rss = ProcStats.rssKb(gatewayPid);
                peakRss.accumulateAndGet(rss, Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            for (int w = 0; w < streams; w++) {
                int loop = w % client.loops();
                long delayMs = Math.max(1, rampMs * w / streams);
                client.context(loop).runOnContext(v -> client.context(loop).owner().setTimer(delayMs, id ->
                        next(loop, target, request, deadline, active, maxActive, running, stopped, tally)));
            }
            long untilEnd = deadline - System.nanoTime();
            if (untilEnd > 0) TimeUnit.NANOSECONDS.sleep(untilEnd);
            atWindowEnd.run();
            long waitNanos = deadline - System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMs);
            if (!stopped.await(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
                int left = running.get();
                for (int i = 0; i < left; i++) tally.error("stream unfinished " + drainMs + " ms after the window");
            }
        } finally {
            sampler.interrupt();
            sampler.join(1_000);
        }
        return new Result(streams, maxActive.get(), rssBefore, peakRss.get(), ProcStats.rssKb(gatewayPid),
                ProcStats.peakRssKb(gatewayPid));
    }

    private void next(int loop, Target target, Request request, long deadline, AtomicInteger active,
                      AtomicInteger maxActive, AtomicInteger running, CountDownLatch stopped, Tally tally) {
        if (System.nanoTime() - deadline >= 0) {
            running.decrementAndGet();
            stopped.countDown();
            return;
        }
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        client.send(loop, target, new Call(request, System.nanoTime()), call -> {
            active.decrementAndGet();
            tally.add(call, true);
            client.context(loop).runOnContext(v ->
                    next(loop, target, request, deadline, active, maxActive, running, stopped, tally));
        });
    }
}
