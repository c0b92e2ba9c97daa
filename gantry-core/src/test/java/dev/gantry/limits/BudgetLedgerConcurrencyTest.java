package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The ledger's guarantee under races: spent plus reserved never passes a limit when reserving. */
class BudgetLedgerConcurrencyTest {
    static final Instant NOW = Instant.parse("2025-03-15T12:00:00Z");
    static final Instant MONTH_START = Instant.parse("2025-03-01T00:00:00Z");
    static final int THREADS = 16;

    final BudgetLedger ledger = new BudgetLedger(ZoneOffset.UTC, List.of(50, 80, 100), new RecordingListener());
    final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs {@code tasks} copies of {@code task} on the pool, all released at once. */
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
    void aBurstAtANearlySpentBudgetAdmitsOnlyWhatFits() throws Exception {
        long limit = 1_000_000, worst = 3_000, actual = 3_500;
        ledger.loadSpent(Scope.ORG, BudgetPeriod.MONTH, MONTH_START, 990_000, 0); // room for 3 worst cases
        var keys = new AtomicLong();
        var reservations = new ConcurrentLinkedQueue<Reservation>();
        var seenUsed = new ConcurrentLinkedQueue<Long>();

        race(200, () -> {
            Scope key = Scope.key("key_" + keys.incrementAndGet() % 7);
            List<BudgetLimit> limits = List.of(usd(key, 10_000_000), usd(Scope.team("t"), 50_000_000), usd(Scope.ORG, limit));
            if (ledger.reserve(limits, worst, 0, NOW) instanceof Reservation r) reservations.add(r);
            BudgetSnapshot org = ledger.snapshot(Scope.ORG, NOW).orElseThrow();
            seenUsed.add(org.spentNanos() + org.reservedNanos());
        });

        assertThat(reservations).hasSize(3);
        assertThat(seenUsed).allSatisfy(used -> assertThat(used).isLessThanOrEqualTo(limit));
        for (Reservation r : reservations) ledger.settle(r, actual, 0, NOW);
        BudgetSnapshot org = ledger.snapshot(Scope.ORG, NOW).orElseThrow();
        assertThat(org.reservedNanos()).isZero();
        // overshoot only by what requests cost beyond their reservation
        assertThat(org.spentNanos() - limit).isLessThanOrEqualTo(reservations.size() * (actual - worst));
        // the refused requests' reservations on key and team were all given back
        BudgetSnapshot team = ledger.snapshot(Scope.team("t"), NOW).orElseThrow();
        assertThat(team.reservedNanos()).isZero();
        assertThat(team.spentNanos()).isEqualTo(3 * actual);
    }

    @Test
    void requestsThatCostNoMoreThanReservedNeverOverrunTheBudget() throws Exception {
        long limit = 5_000_000;
        BudgetLimit budget = usd(Scope.ORG, limit);
        var admitted = new AtomicLong();

        race(THREADS, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 2_000; i++) {
                long worst = random.nextLong(1, 20_000);
                if (ledger.reserve(List.of(budget), worst, 0, NOW) instanceof Reservation r) {
                    admitted.incrementAndGet();
                    BudgetSnapshot s = ledger.snapshot(Scope.ORG, NOW).orElseThrow();
                    assertThat(s.spentNanos() + s.reservedNanos()).isLessThanOrEqualTo(limit);
                    ledger.settle(r, random.nextLong(0, worst + 1), 0, NOW);
                }
            }
        });

        BudgetSnapshot s = ledger.snapshot(Scope.ORG, NOW).orElseThrow();
        assertThat(admitted.get()).isPositive();
        assertThat(s.reservedNanos()).isZero();
        assertThat(s.spentNanos()).isLessThanOrEqualTo(limit);
    }

    static BudgetLimit usd(Scope scope, long nanos) { return new BudgetLimit(scope, nanos, null, BudgetPeriod.MONTH); }
}
