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
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up backfill rolls up a ledger an older version wrote, and leaves a current one alone. */
class RollupBackfillTest {
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

    RollupTotalsView rolledUp() {
        var rows = rollups.sum(Grain.DAY, Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)), Filter.ALL, Dimension.NONE, false);
        return rows.isEmpty() ? new RollupTotalsView(0, 0) : new RollupTotalsView(rows.getFirst().totals().requests(),
                rows.getFirst().totals().costNanos());
    }

    record RollupTotalsView(long requests, long costNanos) {}

    void sql(String statement) throws SQLException {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void aLedgerWrittenWithoutRollupsIsRolledUpAtStart() throws Exception {
        Instant now = Instant.now();
        usage.insertBatch(List.of(row(now.minus(Duration.ofDays(3))), row(now.minus(Duration.ofDays(2))), row(now)));
        for (String table : List.of("usage_rollup_hourly", "usage_rollup_daily", "usage_rollup_daily_model",
                "usage_rollup_daily_user", "usage_rollup_daily_key")) {
            sql("DELETE FROM " + table); // as a version that did not add rows to the roll-ups left it
        }
        assertThat(rolledUp().requests()).isZero();

        new RollupBackfill(rollups, Clock.systemUTC()).start().join(Duration.ofSeconds(30));

        assertThat(rolledUp()).isEqualTo(new RollupTotalsView(3, 300));
        assertThat(rollups.missingRows()).isZero();
    }

    @Test
    void aCurrentLedgerIsNotRecomputed() throws Exception {
        usage.insertBatch(List.of(row(Instant.now()), row(Instant.now())));
        sql("UPDATE usage_rollup_daily_model SET cost_nanos = 12345"); // what a day reads; a recompute would make it 200

        new RollupBackfill(rollups, Clock.systemUTC()).start().join(Duration.ofSeconds(30));

        assertThat(rolledUp()).isEqualTo(new RollupTotalsView(2, 12345));
    }
}
