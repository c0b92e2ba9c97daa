package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/** Rate limits hold exactly when every event loop hits them at once. */
class LocalLimitCountersConcurrencyTest {
    static final long NOW = Instant.parse("2025-03-15T12:00:30Z").toEpochMilli();
    static final int THREADS = 16;

    final LocalLimitCounters counters = new LocalLimitCounters();
    final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    void race(int tasks, Runnable task) throws Exception {
        var start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                task.run();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) f.get(30, TimeUnit.SECONDS);
    }

    @RepeatedTest(5)
    void aConcurrentBurstAdmitsExactlyRpmAndTakesBackWhatOtherScopesRefused() throws Exception {
        List<RateLimit> limits = List.of(new RateLimit(Scope.key("k"), 1_000, 0, 0), new RateLimit(Scope.ORG, 150, 0, 0));
        var admitted = new AtomicInteger();

        race(1_000, () -> {
            if (counters.admit(limits, 0, NOW) instanceof Admission) admitted.incrementAndGet();
        });

        assertThat(admitted).hasValue(150);
        var keyOnly = (Admission) counters.admit(List.of(new RateLimit(Scope.key("k"), 1_000, 0, 0)), 0, NOW);
        assertThat(keyOnly.status().remainingRequests()).isEqualTo(1_000 - 151);
    }

    @RepeatedTest(3)
    void maxParallelIsNeverExceeded() throws Exception {
        List<RateLimit> limits = List.of(new RateLimit(Scope.key("k"), 0, 0, 4));
        var inFlight = new AtomicInteger();
        var mostInFlight = new AtomicInteger();

        race(THREADS, () -> {
            for (int i = 0; i < 2_000; i++) {
                if (counters.admit(limits, 10, NOW) instanceof Admission a) {
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.yield();
                    inFlight.decrementAndGet();
                    counters.release(a, 5, NOW);
                }
            }
        });

        assertThat(mostInFlight.get()).isBetween(1, 4);
        for (int i = 0; i < 4; i++) assertThat(counters.admit(limits, 0, NOW)).isInstanceOf(Admission.class); // no slot leaked
        assertThat(counters.admit(limits, 0, NOW)).isInstanceOf(RateLimited.class);
    }
}
