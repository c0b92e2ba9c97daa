package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.GatewayConfig.DatabaseSettings;
import dev.gantry.store.RollupRepository.Dimension;
import dev.gantry.store.RollupRepository.Filter;
import dev.gantry.store.RollupRepository.Grain;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Days rolled up before the per-key daily table existed are summed into it by its migration (V6). */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class MigrationToDailyKeyTest {
    static final Instant DAY = Instant.parse("2026-11-02T00:00:00Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;

    @BeforeEach
    void create() { db = backend.create(MigrationToDailyKeyTest::rolledUpAtVersion5); }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    /** Key k1 on two models and k2 on one, rolled up by day as version 5 kept them. */
    static void rolledUpAtVersion5(DatabaseSettings settings) {
        Flyway.configure().dataSource(settings.url(), settings.username(), settings.password())
                .locations("classpath:db/migration").target("5").load().migrate();
        String histograms = IntStream.range(0, 30).mapToObj(i -> "lat_%02d, ttft_%02d".formatted(i, i)).collect(Collectors.joining(", "));
        String counts = IntStream.range(0, 60).mapToObj(i -> i == 20 ? "2" : "0").collect(Collectors.joining(", "));
        try (Connection c = DriverManager.getConnection(settings.url(), settings.username(), settings.password());
             Statement s = c.createStatement()) {
            for (String row : new String[] {"'k1', 'm1', 2, 10", "'k1', 'm2', 3, 20", "'k2', 'm1', 5, 40"}) {
                s.execute("INSERT INTO usage_rollup_daily (bucket_start, team_id, user_id, key_id, model, provider, requests, "
                        + "errors, input_tokens, output_tokens, cached_input_tokens, cost_nanos, latency_ms_sum, ttft_count, "
                        + histograms + ") SELECT TIMESTAMP WITH TIME ZONE '2026-11-02 00:00:00+00', 'team', 'usr', k, m, 'p', r, 0, "
                        + "1, 1, 0, cost, 7, 0, " + counts + " FROM (SELECT " + row.replaceFirst("'(k\\d)', '(m\\d)', (\\d+), (\\d+)",
                        "'$1' AS k, '$2' AS m, $3 AS r, $4 AS cost") + ") AS v");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theKeysDaysAreSummedOverTheirModels() {
        var rollups = new RollupRepository(db.database().dataSource());

        var byKey = rollups.sum(Grain.DAY, DAY, DAY.plusSeconds(86_400), Filter.ALL, Dimension.KEY, false);

        assertThat(byKey).extracting(r -> r.group() + "=" + r.totals().requests() + "/" + r.totals().costNanos()
                + "/" + r.totals().latency().total()).containsExactlyInAnyOrder("k1=5/30/4", "k2=5/40/2");
        assertThat(db.column("SELECT COUNT(*) FROM usage_rollup_daily_key")).containsExactly("2");
    }
}
