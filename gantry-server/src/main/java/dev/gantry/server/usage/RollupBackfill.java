package dev.gantry.server.usage;

import dev.gantry.store.RollupRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls up a ledger written before its rows were added to the roll-ups as they are stored (see
 * {@code RollupIncrements}): the first start over a database from an older version. When the
 * roll-ups lack rows, it recomputes them from the oldest row on; otherwise it has nothing to do. It
 * runs on a thread of its own, so that start-up does not wait for a long history.
 */
public final class RollupBackfill {
    private static final Logger log = LoggerFactory.getLogger(RollupBackfill.class);

    private final RollupRepository rollups;
    private final Clock clock;

    public RollupBackfill(RollupRepository rollups, Clock clock) {
        this.rollups = rollups;
        this.clock = clock;
    }

    /** Starts the thread that looks for a backfill to do, and does it; returns at once. */
    public Thread start() {
        return Thread.ofPlatform().name("gantry-rollup-backfill").daemon().start(this::run);
    }

    private void run() {
        try {
            long missing = rollups.missingRows();
            if (missing <= 0) return;
            Instant from = rollups.oldestUsage().orElseThrow(); // the ledger has rows the roll-ups lack
            long started = System.nanoTime();
            rollups.recompute(from, clock.instant().plus(Duration.ofHours(1)));
            log.info("usage roll-ups rebuilt for {} request(s) they lacked, from {}, in {} ms", missing, from, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.error("usage roll-ups could not be built for the existing ledger; dashboards miss its older rows: {}",
                    e.getMessage());
        }
    }
}
