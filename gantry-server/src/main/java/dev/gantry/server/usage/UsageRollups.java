package dev.gantry.server.usage;

import dev.gantry.store.RollupRepository;
import dev.gantry.usage.UsageRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the usage roll-ups current. The usage store thread marks the hours of the rows it stored
 * ({@link #stored}); one thread of this class recomputes marked hours every {@code period}. At start
 * it recomputes everything since the newest hour rolled up (rows replayed from the spool, rows other
 * replicas wrote while this one was down), and every minute it marks the last two hours, which is how
 * rows stored by other replicas sharing the database reach the roll-ups.
 *
 * <p>A recompute reads the whole hour's raw rows, so on a busy gateway it costs more than appending
 * would; the wait before the next pass is stretched to five times the last pass so that roll-ups never
 * take more than a fifth of a core.
 */
public final class UsageRollups implements AutoCloseable {
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(2);
    private static final Duration OTHERS_PERIOD = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(UsageRollups.class);

    private final RollupRepository rollups;
    private final Clock clock;
    private final Duration period;
    private final Set<Instant> dirty = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("gantry-usage-rollup").daemon().unstarted(r));
    private volatile Instant othersDue = Instant.MIN;

    public UsageRollups(RollupRepository rollups, Clock clock, Duration period) {
        this.rollups = rollups;
        this.clock = clock;
        this.period = period;
    }

    /** The usage store thread's hook: marks the hours of stored rows. Never touches the database. */
    public void stored(List<UsageRecord> records) {
        for (UsageRecord r : records) dirty.add(r.timestamp().truncatedTo(ChronoUnit.HOURS));
    }

    public void start() {
        thread.execute(this::catchUp);
        thread.schedule(this::pass, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void catchUp() {
        try {
            Instant from = rollups.newestHour().or(rollups::oldestUsage).orElse(null);
            if (from == null) return;
            long started = System.nanoTime();
            rollups.recompute(from, clock.instant().plus(Duration.ofHours(1)));
            log.info("usage roll-ups brought up to date from {} in {} ms", from, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("usage roll-ups could not catch up now, will retry the marked hours: {}", e.getMessage());
        }
    }

    private void pass() {
        long started = System.nanoTime();
        try {
            Instant now = clock.instant();
            if (now.isAfter(othersDue)) {
                othersDue = now.plus(OTHERS_PERIOD);
                Instant hour = now.truncatedTo(ChronoUnit.HOURS);
                dirty.add(hour);
                dirty.add(hour.minus(Duration.ofHours(1)));
            }
            var hours = new TreeSet<Instant>();
            for (Instant h : dirty) {
                hours.add(h);
                dirty.remove(h);
            }
            RuntimeException failure = null;
            for (Instant h : hours) {
                try {
                    rollups.recompute(h, h.plus(Duration.ofHours(1)));
                } catch (RuntimeException e) {
                    dirty.add(h); // for the next pass
                    failure = e;
                }
            }
            if (failure != null) throw failure;
        } catch (RuntimeException e) {
            log.warn("usage roll-up failed, retrying: {}", e.getMessage());
        } finally {
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            if (!thread.isShutdown()) thread.schedule(this::pass, Math.max(period.toMillis(), 5 * tookMillis), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
