package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.store.RollupRepository.Dimension;
import dev.gantry.store.RollupRepository.Filter;
import dev.gantry.store.RollupRepository.Grain;
import dev.gantry.store.RollupRepository.Row;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Roll-ups: rows are added to them as they are stored, exactly as a recompute from the raw rows
 * would count them (also when two replicas store at once); a recompute gives the same answer twice
 * and counts late rows; buckets are cut at UTC hours and days.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class RollupRepositoryTest {
    static final Instant DAY = Instant.parse("2026-11-02T00:00:00Z");
    static final Instant FAR = Instant.parse("2027-01-01T00:00:00Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    UsageRepository usage;
    RollupRepository rollups;
    int ids;

    @BeforeEach
    void create() {
        db = backend.create();
        usage = new UsageRepository(db.database().dataSource());
        rollups = new RollupRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    UsageRecord row(Instant ts, String key, String team, String model, String deployment, Outcome outcome, long cost, long latency,
                    long ttft) {
        return new UsageRecord("r" + (ids++), ts, key, "usr_" + key, team, "chat_completions", "alias-" + model, model, deployment,
                new TokenUsage(100, 10, 40, false), cost, outcome == Outcome.OK ? 200 : 502, outcome, latency, ttft, ttft >= 0);
    }

    Map<String, Long> requestsBy(Grain grain, Dimension dimension, Filter filter) {
        return rollups.sum(grain, DAY.minus(Duration.ofDays(5)), FAR, filter, dimension, false).stream()
                .collect(Collectors.toMap(r -> String.valueOf(r.group()), r -> r.totals().requests()));
    }

    RollupTotals total(Grain grain, Instant from, Instant to) {
        var rows = rollups.sum(grain, from, to, Filter.ALL, Dimension.NONE, false);
        return rows.isEmpty() ? new RollupTotals() : rows.getFirst().totals();
    }

    @Test
    void sumsRequestsTokensCostAndErrorsByHourAndDay() {
        usage.insertBatch(List.of(
                row(DAY.plusSeconds(60), "k1", "red", "m1", "fleet/org/m1", Outcome.OK, 1_000, 100, 20),
                row(DAY.plusSeconds(120), "k1", "red", "m1", "fleet/org/m1", Outcome.ERROR, 0, 300, -1),
                row(DAY.plusSeconds(3_600 + 5), "k2", "blue", "m2", "other:8000/m2", Outcome.OK, 7, 1_000, 900)));
        forgetRollups(); // this checks the recompute; storedRowsAreAdded... checks that additions agree with it

        rollups.recompute(DAY, DAY.plus(Duration.ofDays(1)));

        RollupTotals day = total(Grain.DAY, DAY, DAY.plus(Duration.ofDays(1)));
        assertThat(day.requests()).isEqualTo(3);
        assertThat(day.errors()).isEqualTo(1);
        assertThat(day.inputTokens()).isEqualTo(300);
        assertThat(day.outputTokens()).isEqualTo(30);
        assertThat(day.cachedInputTokens()).isEqualTo(120);
        assertThat(day.costNanos()).isEqualTo(1_007);
        assertThat(day.latencySumMillis()).isEqualTo(1_400);
        assertThat(day.ttftCount()).isEqualTo(2);
        assertThat(day.latency().total()).isEqualTo(3);
        assertThat(day.latency().count(LatencyHistogram.bucket(300))).isEqualTo(1);
        assertThat(day.ttft().count(LatencyHistogram.bucket(900))).isEqualTo(1);

        List<Row> hours = rollups.sum(Grain.HOUR, DAY, FAR, Filter.ALL, Dimension.NONE, true);
        assertThat(hours).extracting(Row::bucket).containsExactly(DAY, DAY.plusSeconds(3_600));
        assertThat(hours).extracting(r -> r.totals().requests()).containsExactly(2L, 1L);

        assertThat(requestsBy(Grain.DAY, Dimension.MODEL, Filter.ALL)).isEqualTo(Map.of("m1", 2L, "m2", 1L));
        assertThat(requestsBy(Grain.DAY, Dimension.PROVIDER, Filter.ALL)).isEqualTo(Map.of("fleet", 2L, "other:8000", 1L));
        assertThat(requestsBy(Grain.HOUR, Dimension.TEAM, Filter.ALL)).isEqualTo(Map.of("red", 2L, "blue", 1L));
        assertThat(requestsBy(Grain.DAY, Dimension.USER, Filter.ALL)).isEqualTo(Map.of("usr_k1", 2L, "usr_k2", 1L));
        assertThat(requestsBy(Grain.DAY, Dimension.KEY, new Filter(null, null, null, "m2", null))).isEqualTo(Map.of("k2", 1L));
    }

    static final List<String> TABLES = List.of("usage_rollup_hourly", "usage_rollup_daily", "usage_rollup_daily_model",
            "usage_rollup_daily_user", "usage_rollup_daily_key");

    /** Empties the roll-ups, as a ledger written by a version that did not add rows to them as it stored them. */
    void forgetRollups() {
        for (String table : TABLES) db.execute("DELETE FROM " + table);
    }

    /** Every roll-up table's rows, each as its text, in a stable order. */
    List<String> rollupTables() {
        var rows = new java.util.ArrayList<String>();
        for (String table : TABLES) {
            String columns = "bucket_start, " + switch (table) {
                case "usage_rollup_daily_model" -> RollupRepository.MODEL_COLUMNS;
                case "usage_rollup_daily_user" -> RollupRepository.USER_COLUMNS;
                case "usage_rollup_daily_key" -> RollupRepository.KEY_ONLY_COLUMNS;
                default -> RollupRepository.KEY_COLUMNS;
            };
            String all = columns + ", " + RollupRepository.SUM_COLUMNS;
            String text = "'" + table + "'" + " || '|' || " + String.join(" || '|' || ",
                    java.util.Arrays.stream(all.split(", ")).map(c -> "COALESCE(CAST(" + c + " AS VARCHAR(100)), '-')").toList());
            rows.addAll(db.column("SELECT " + text + " FROM " + table + " ORDER BY " + columns));
        }
        return rows;
    }

    @Test
    void storedRowsAreAddedToEveryTableAsARecomputeWouldCountThem() {
        // several batches, so that later ones add to rows earlier ones made; nulls in every nullable column
        usage.insertBatch(List.of(
                row(DAY.plusSeconds(60), "k1", "red", "m1", "fleet/org/m1", Outcome.OK, 1_000, 100, 20),
                row(DAY.plusSeconds(61), "k1", "red", "m1", "fleet/org/m1", Outcome.ERROR, 0, 30_000, -1),
                row(DAY.plusSeconds(3_700), "k2", null, "m2", null, Outcome.OK, 5, 7, 3)));
        usage.insertBatch(List.of(
                row(DAY.plusSeconds(62), "k1", "red", "m1", "fleet/org/m1", Outcome.OK, 1, 2, 1),
                new UsageRecord("r" + (ids++), DAY.plusSeconds(90_000), "k3", null, null, "chat_completions", "asked-only", null,
                        null, new TokenUsage(1, 1, 0, true), 0, 400, Outcome.ERROR, 1, -1, false)));
        usage.insertBatch(List.of(row(DAY.plusSeconds(63), "k2", "blue", "m1", "fleet/org/m1", Outcome.OK, 9, 9_999, 500)));

        List<String> added = rollupTables();
        assertThat(added).hasSizeGreaterThan(TABLES.size());
        assertThat(rollups.missingRows()).isZero();
        assertThat(total(Grain.DAY, DAY, FAR).requests()).isEqualTo(6);

        rollups.recompute(DAY, DAY.plus(Duration.ofDays(2)));
        assertThat(rollupTables()).as("what a recompute from the raw rows makes").isEqualTo(added);
    }

    @Test
    void twoReplicasStoringAtOnceLoseNoRequestAndMakeNoDuplicateGroup() throws Exception {
        try (Database other = db.openAgain()) {
            var replicas = List.of(usage, new UsageRepository(other.dataSource()));
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var done = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (int r = 0; r < 2; r++) {
                    UsageRepository replica = replicas.get(r);
                    String prefix = "replica" + r + "-";
                    done.add(pool.submit(() -> {
                        for (int b = 0; b < 20; b++) {
                            var batch = new java.util.ArrayList<UsageRecord>();
                            for (int i = 0; i < 10; i++) {
                                batch.add(new UsageRecord(prefix + b + "-" + i, DAY.plusSeconds(i), "k" + (i % 2), "usr", "red",
                                        "chat_completions", "m1", "m1", "fleet/m1", new TokenUsage(1, 1, 0, false), 1, 200,
                                        Outcome.OK, 10, -1, false));
                            }
                            replica.insertBatch(batch);
                        }
                    }));
                }
                for (var f : done) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(total(Grain.DAY, DAY, FAR).requests()).isEqualTo(400);
        assertThat(total(Grain.HOUR, DAY, FAR).costNanos()).isEqualTo(400);
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_hourly")).as("one row per key").containsExactly("2");
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_daily_model")).containsExactly("1");
    }

    @Test
    void aLedgerFromAnOlderVersionIsCountedAsMissingUntilRecomputed() {
        usage.insertBatch(List.of(row(DAY.plusSeconds(10), "k1", "red", "m1", "fleet/m1", Outcome.OK, 5, 10, -1),
                row(DAY.plusSeconds(7_300), "k2", "red", "m1", "fleet/m1", Outcome.OK, 5, 10, -1)));
        forgetRollups();
        assertThat(rollups.missingRows()).isEqualTo(2);

        rollups.recompute(rollups.oldestUsage().orElseThrow(), FAR);
        assertThat(rollups.missingRows()).isZero();
        assertThat(total(Grain.DAY, DAY, FAR).requests()).isEqualTo(2);
    }

    @Test
    void recomputingTwiceGivesTheSameRowsAndLateRowsAreCounted() {
        usage.insertBatch(List.of(row(DAY.plusSeconds(10), "k1", "red", "m1", "fleet/m1", Outcome.OK, 5, 10, -1)));
        forgetRollups();
        rollups.recompute(DAY, DAY.plusSeconds(11));
        rollups.recompute(DAY, DAY.plusSeconds(11));
        assertThat(total(Grain.DAY, DAY, FAR).requests()).isEqualTo(1);
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_hourly")).containsExactly("1");
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_daily")).containsExactly("1");

        // a row replayed late into the same hour, and one in a later hour of the same day
        usage.insertBatch(List.of(row(DAY.plusSeconds(20), "k1", "red", "m1", "fleet/m1", Outcome.OK, 5, 10, -1),
                row(DAY.plusSeconds(7_200), "k1", "red", "m1", "fleet/m1", Outcome.OK, 5, 10, -1)));
        forgetRollups();
        rollups.recompute(DAY.plusSeconds(20), DAY.plusSeconds(21));
        assertThat(total(Grain.DAY, DAY, FAR).requests()).as("only the late row's hour was recomputed").isEqualTo(2);
        rollups.recompute(DAY.plusSeconds(7_200), DAY.plusSeconds(7_201));
        assertThat(total(Grain.DAY, DAY, FAR).requests()).isEqualTo(3);
        assertThat(total(Grain.HOUR, DAY, FAR).costNanos()).isEqualTo(15);
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_hourly")).containsExactly("2");
        assertThat(rollups.oldestUsage()).contains(DAY.plusSeconds(10));
    }

    @Test
    void rowsAreCutAtUtcHoursAndDays() {
        Instant midnight = DAY.plus(Duration.ofDays(1));
        usage.insertBatch(List.of(
                row(midnight.minusMillis(1), "k1", "red", "m1", "fleet/m1", Outcome.OK, 1, 10, -1),
                row(midnight, "k1", "red", "m1", "fleet/m1", Outcome.OK, 2, 10, -1),
                row(midnight.plusSeconds(3_599), "k1", "red", "m1", "fleet/m1", Outcome.OK, 4, 10, -1)));

        rollups.recompute(midnight.minusSeconds(1), midnight.plusSeconds(1)); // spans two days: both are recomputed

        assertThat(rollups.sum(Grain.DAY, DAY, FAR, Filter.ALL, Dimension.NONE, true))
                .extracting(r -> r.bucket() + "=" + r.totals().costNanos())
                .containsExactly(DAY + "=1", midnight + "=6");
        assertThat(rollups.sum(Grain.HOUR, DAY, FAR, Filter.ALL, Dimension.NONE, true))
                .extracting(r -> r.bucket() + "=" + r.totals().costNanos())
                .containsExactly(midnight.minusSeconds(3_600) + "=1", midnight + "=6");
        assertThat(total(Grain.HOUR, midnight, midnight.plusSeconds(3_600)).requests()).isEqualTo(2);
    }

    @Test
    void percentilesComeFromSummedHistograms() {
        for (int i = 1; i <= 100; i++) {
            Instant ts = DAY.plusSeconds(i * 600L); // spread over many hours
            usage.insertBatch(List.of(row(ts, "k" + (i % 3), "red", "m1", "fleet/m1", Outcome.OK, 1, i * 10L, i)));
        }
        rollups.recompute(DAY, DAY.plus(Duration.ofDays(1)));

        RollupTotals day = total(Grain.DAY, DAY, FAR);
        assertThat(day.latency().total()).isEqualTo(100);
        assertThat(day.latency().percentile(0.5)).isBetween(350L, 650L);     // true median 505 ms
        assertThat(day.latency().percentile(0.95)).isBetween(665L, 1_235L);  // true p95 955 ms
        assertThat(day.ttft().percentile(0.5)).isBetween(35L, 65L);
    }

    @Test
    void theDailyTablesWithoutKeysAgreeWithThePerKeyOne() {
        usage.insertBatch(List.of(
                row(DAY.plusSeconds(60), "k1", "red", "m1", "fleet/m1", Outcome.OK, 1_000, 100, 20),
                row(DAY.plusSeconds(4_000), "k2", "red", "m1", "fleet/m1", Outcome.ERROR, 3, 300, -1),
                row(DAY.plusSeconds(90_000), "k3", "blue", "m2", "other/m2", Outcome.OK, 7, 1_000, 900),
                row(DAY.plusSeconds(90_001), "k1", null, "m2", "other/m2", Outcome.OK, 9, 5, 2)));
        rollups.recompute(DAY, DAY.plus(Duration.ofDays(2)));
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_daily_model")).as("k1 and k2 share a row").containsExactly("3");

        var everyKey = new Filter(null, null, null, null, Set.of("k1", "k2", "k3")); // a key set makes it read per key
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_daily_user")).containsExactly("4");
        for (Dimension d : List.of(Dimension.NONE, Dimension.MODEL, Dimension.PROVIDER, Dimension.TEAM, Dimension.USER)) {
            assertThat(view(rollups.sum(Grain.DAY, DAY, FAR, Filter.ALL, d, true)))
                    .as(d.name()).isEqualTo(view(rollups.sum(Grain.DAY, DAY, FAR, everyKey, d, true)))
                    .isNotEmpty();
        }
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_daily_key")).as("a row per key and day").containsExactly("4");
        for (Filter f : List.of(Filter.ALL, everyKey)) {
            assertThat(view(rollups.sum(Grain.DAY, DAY, FAR, f, Dimension.KEY, false)))
                    .isEqualTo(view(rollups.sum(Grain.HOUR, DAY, FAR, f, Dimension.KEY, false))).hasSize(3);
        }
        var ofK1 = new Filter(null, "usr_k1", null, null, null);
        assertThat(view(rollups.sum(Grain.DAY, DAY, FAR, ofK1, Dimension.TEAM, false)))
                .isEqualTo(view(rollups.sum(Grain.HOUR, DAY, FAR, ofK1, Dimension.TEAM, false))).hasSize(2);
    }

    static List<String> view(List<Row> rows) {
        return rows.stream().map(r -> r.bucket() + "|" + r.group() + "|" + r.totals().requests() + "|" + r.totals().errors()
                + "|" + r.totals().costNanos() + "|" + r.totals().latency() + "|" + r.totals().ttft()).sorted().toList();
    }

    @Test
    void aKeySetReadsOnlyThoseKeysAndAnEmptyOneNothing() {
        usage.insertBatch(List.of(row(DAY, "k1", "red", "m1", "fleet/m1", Outcome.OK, 1, 10, -1),
                row(DAY, "k2", "blue", "m1", "fleet/m1", Outcome.OK, 1, 10, -1)));
        rollups.recompute(DAY, DAY.plusSeconds(1));

        assertThat(requestsBy(Grain.DAY, Dimension.KEY, new Filter(null, null, null, null, Set.of("k2", "k9"))))
                .isEqualTo(Map.of("k2", 1L));
        assertThat(rollups.sum(Grain.DAY, DAY, FAR, new Filter(null, null, null, null, Set.of()), Dimension.NONE, false)).isEmpty();
        assertThat(requestsBy(Grain.DAY, Dimension.KEY, new Filter("blue", null, null, null, null))).isEqualTo(Map.of("k2", 1L));
        assertThat(requestsBy(Grain.DAY, Dimension.KEY, new Filter(null, "usr_k1", null, null, null))).isEqualTo(Map.of("k1", 1L));
    }
}
