package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.Role;
import dev.gantry.config.GatewayConfig.DatabaseSettings;
import dev.gantry.identity.Quota;
import dev.gantry.usage.UsageRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Keys and usage stored before users existed read back, after the governance migration, as they were. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class MigrationFromV2Test {
    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;

    @BeforeEach
    void create() { db = backend.create(MigrationFromV2Test::storeAsVersion2); }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    static void storeAsVersion2(DatabaseSettings settings) {
        Flyway.configure().dataSource(settings.url(), settings.username(), settings.password())
                .locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(settings.url()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO api_keys (id, name, key_hash, display_prefix, role, models, created_at, updated_at) "
                    + "VALUES ('k1', 'old', '" + "a".repeat(64) + "', 'sk-gantry-aaaaaa...', 'admin', 'gpt-5', "
                    + "TIMESTAMP WITH TIME ZONE '2025-06-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2025-06-01 00:00:00+00')");
            s.execute("INSERT INTO usage_records (request_id, ts, usage_day, key_id, endpoint, input_tokens, output_tokens, "
                    + "cached_input_tokens, estimated, cost_nanos, http_status, outcome, latency_ms, stream) VALUES ('r1', "
                    + "TIMESTAMP WITH TIME ZONE '2025-06-01 00:00:00+00', DATE '2025-06-01', 'k1', 'chat_completions', "
                    + "10, 5, 0, FALSE, 99, 200, 'ok', 1, FALSE)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anOldKeyHasNoUserNoTagsAndNoLimits() {
        var old = new ApiKey("k1", "old", "a".repeat(64), "sk-gantry-aaaaaa...", Role.ADMIN, List.of("gpt-5"),
                Instant.parse("2025-06-01T00:00:00Z"), null, null);

        assertThat(new KeyRepository(db.database().dataSource()).findById("k1")).contains(old);
        assertThat(old.quota()).isEqualTo(Quota.NONE);
    }

    @Test
    void oldUsageCountsOnlyForItsKeyAndOverall() {
        var usage = new UsageRepository(db.database().dataSource());

        UsageRecord r1 = usage.findByRequestId("r1").orElseThrow();
        SpendTotals spend = usage.spendSince(Instant.parse("2025-06-01T00:00:00Z"));

        assertThat(r1.userId()).isNull();
        assertThat(spend.ofKey("k1")).isEqualTo(new Spend(99, 15));
        assertThat(spend.byUser()).isEmpty();
        assertThat(spend.overall()).isEqualTo(new Spend(99, 15));
    }
}
