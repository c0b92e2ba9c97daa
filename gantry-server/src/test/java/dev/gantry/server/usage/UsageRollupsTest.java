package dev.gantry.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.GatewayConfig.DatabaseSettings;
import dev.gantry.store.Database;
import dev.gantry.store.RollupRepository;
import dev.gantry.store.RollupRepository.Dimension;
import dev.gantry.store.RollupRepository.Filter;
import dev.gantry.store.RollupRepository.Grain;
import dev.gantry.store.UsageRepository;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The roll-up job: catches up at start, follows stored rows, and picks up rows it was never told of. */
class UsageRollupsTest {
    Database db;
    UsageRepository usage;
    RollupRepository rollups;
    int ids;

    @BeforeEach
    void open() {
        db = Database.open(new DatabaseSettings("jdbc:h2:mem:rollups_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null, 2));
        usage = new UsageRepository(db.dataSource());
        rollups = new RollupRepository(db.dataSource());
    }

    @AfterEach
    void close() { db.close(); }

    UsageRecord row(Instant ts) {
        return new UsageRecord("r" + (ids++), ts, "k1", "u1", "t1", "chat_completions", "m", "m", "p/m",
                new TokenUsage(10, 1, 0, false), 100, 200, Outcome.OK, 5, -1, false);
    }

    long rolledUp() {
        var rows = rollups.sum(Grain.HOUR, Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)), Filter.ALL, Dimension.NONE, false);
        return rows.isEmpty() ? 0 : rows.getFirst().totals().requests();
    }

    void waitFor(long requests) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rolledUp() != requests && System.nanoTime() < deadline) sleep(20);
        assertThat(rolledUp()).isEqualTo(requests);
    }

    @Test
    void rowsStoredBeforeStartAfterAndByOthersAreRolledUp() {
        Instant now = Instant.now();
        // stored before the job ever ran, days ago (as on the first start after an upgrade)
        usage.insertBatch(List.of(row(now.minus(Duration.ofDays(3))), row(now.minus(Duration.ofDays(2)))));
        try (var job = new UsageRollups(rollups, Clock.systemUTC(), Duration.ofMillis(50))) {
            job.start();
            waitFor(2);

            // stored and announced by this node's usage recorder
            var announced = List.of(row(now.minus(Duration.ofHours(5))), row(now.minus(Duration.ofHours(5))));
            usage.insertBatch(announced);
            job.stored(announced);
            waitFor(4);
            assertThat(rollups.sum(Grain.DAY, now.minus(Duration.ofDays(4)).truncatedTo(ChronoUnit.DAYS),
                    now.plus(Duration.ofDays(1)), Filter.ALL, Dimension.NONE, false).getFirst().totals().costNanos()).isEqualTo(400);
        }
        // written by another replica within the last hour and never announced here: the next start
        // catches up from the newest hour rolled up, which the first pass's "last two hours" made now's
        usage.insertBatch(List.of(row(now)));
        try (var job = new UsageRollups(rollups, Clock.systemUTC(), Duration.ofMillis(50))) {
            job.start();
            waitFor(5);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
