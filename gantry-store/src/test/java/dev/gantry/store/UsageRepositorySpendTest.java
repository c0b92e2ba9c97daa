package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Who spent what: usage rows carry the key's user and team, and sum into budgets' spend. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class UsageRepositorySpendTest {
    static final Instant START = Instant.parse("2025-06-01T00:00:00Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    UsageRepository usage;

    @BeforeEach
    void create() {
        db = backend.create();
        usage = new UsageRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    static UsageRecord row(String id, Instant ts, String keyId, String userId, String teamId, long input, long output, long cost) {
        return new UsageRecord(id, ts, keyId, userId, teamId, "chat_completions", "m", "m", "fleet/m",
                new TokenUsage(input, output, 0, false), cost, 200, Outcome.OK, 10, -1, false);
    }

    @Test
    void theUserAndTeamRoundTrip() {
        UsageRecord r = row("r1", START, "k1", "usr_1", "team_1", 1, 2, 3);
        usage.insertBatch(List.of(r, row("r2", START, "k2", null, null, 1, 2, 3)));

        assertThat(usage.findByRequestId("r1")).contains(r);
        assertThat(usage.findByRequestId("r2").orElseThrow().userId()).isNull();
    }

    @Test
    void spendIsSummedByKeyUserTeamAndOverallFromTheStartOnly() {
        usage.insertBatch(List.of(
                row("before", START.minusNanos(1_000), "k1", "alice", "red", 1_000, 1_000, 1_000_000),
                row("1", START, "k1", "alice", "red", 100, 10, 1_000),
                row("2", START.plusSeconds(60), "k1", "alice", "red", 200, 20, 2_000),
                row("3", START.plusSeconds(120), "k2", "alice", null, 1, 1, 5),
                row("4", START.plusSeconds(180), "k3", "bob", "red", 50, 5, 700),
                row("5", START.plusSeconds(240), "legacy", null, null, 7, 3, 11)));

        SpendTotals spend = usage.spendSince(START);

        assertThat(spend.ofKey("k1")).isEqualTo(new Spend(3_000, 330));
        assertThat(spend.ofKey("k2")).isEqualTo(new Spend(5, 2));
        assertThat(spend.ofUser("alice")).isEqualTo(new Spend(3_005, 332));
        assertThat(spend.ofUser("bob")).isEqualTo(new Spend(700, 55));
        assertThat(spend.ofTeam("red")).isEqualTo(new Spend(3_700, 385));
        assertThat(spend.overall()).isEqualTo(new Spend(3_716, 397));
        assertThat(spend.ofTeam("blue")).isEqualTo(Spend.NONE);
        assertThat(spend.byUser()).containsOnlyKeys("alice", "bob");
    }

    @Test
    void nothingSpentIsZero() {
        assertThat(usage.spendSince(START).overall()).isEqualTo(Spend.NONE);
    }
}
