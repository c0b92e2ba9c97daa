package dev.gantry.store;

import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The usage ledger: rows written in batches, read back, and summed per key, model and UTC day. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class UsageRepositoryTest {
    static final Instant JUNE_1 = Instant.parse("2025-06-01T00:00:00Z");

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

    static UsageRecord row(String requestId, Instant ts, String keyId, String model, Outcome outcome,
                           long input, long output, long cached, long costNanos) {
        return new UsageRecord(requestId, ts, keyId, "chat_completions", model, model, "fleet/" + model,
                new TokenUsage(input, output, cached, false), costNanos, outcome == Outcome.OK ? 200 : 502, outcome,
                120, -1, false);
    }

    @Test
    void everyFieldRoundTrips() {
        var streamed = new UsageRecord("req-1", Instant.parse("2025-06-01T10:11:12.131415Z"), "key-1", "messages",
                "claude-sonnet-4-5", "qwen3-coder", "fleet/Qwen/Qwen3-Coder-480B-A35B-Instruct",
                new TokenUsage(1_234_567, 89_012, 345, true), 9_876_543_210L, 200, Outcome.CANCELLED, 45_678, 321, true);
        var failed = new UsageRecord("req-2", Instant.parse("2025-06-01T10:11:13Z"), null, "chat_completions",
                null, null, null, TokenUsage.NONE, 0, 400, Outcome.ERROR, 3, -1, false);
        usage.insertBatch(List.of(streamed, failed));

        assertThat(usage.findByRequestId("req-1")).contains(streamed);
        assertThat(usage.findByRequestId("req-2")).contains(failed);
        assertThat(usage.findByRequestId("req-3")).isEmpty();
    }

    @Test
    void noTimeToFirstTokenIsStoredAsNull() {
        usage.insertBatch(List.of(row("no-ttft", JUNE_1, "k", "m", Outcome.OK, 1, 1, 0, 1)));

        assertThat(db.column("SELECT ttft_ms FROM usage_records WHERE request_id = ?", "no-ttft")).containsExactly((String) null);
        assertThat(usage.findByRequestId("no-ttft").orElseThrow().ttftMillis()).isEqualTo(-1);
    }

    @Test
    void aZeroTimeToFirstTokenIsNotNull() {
        var r = new UsageRecord("zero", JUNE_1, "k", "chat_completions", "m", "m", "p/m", TokenUsage.NONE, 0, 200,
                Outcome.OK, 5, 0, true);
        usage.insertBatch(List.of(r));

        assertThat(usage.findByRequestId("zero").orElseThrow().ttftMillis()).isZero();
    }

    @Test
    void everyOutcomeRoundTrips() {
        var rows = new ArrayList<UsageRecord>();
        for (Outcome o : Outcome.values()) rows.add(row("r-" + o, JUNE_1, "k", "m", o, 1, 2, 0, 3));
        usage.insertBatch(rows);

        for (Outcome o : Outcome.values()) assertThat(usage.findByRequestId("r-" + o).orElseThrow().outcome()).isEqualTo(o);
    }

    @Test
    void aLargeBatchIsInsertedInOneGo() {
        List<UsageRecord> rows = IntStream.range(0, 2_000)
                .mapToObj(i -> row("req-" + i, JUNE_1.plusSeconds(i), "k" + (i % 3), "m", Outcome.OK, i, 2L * i, 0, 10L * i))
                .toList();

        usage.insertBatch(rows);

        assertThat(db.column("SELECT COUNT(*) FROM usage_records")).containsExactly("2000");
        assertThat(usage.findByRequestId("req-0")).contains(rows.get(0));
        assertThat(usage.findByRequestId("req-1999")).contains(rows.get(1999));
    }

    @Test
    void anEmptyBatchIsFine() {
        usage.insertBatch(List.of());

        assertThat(db.column("SELECT COUNT(*) FROM usage_records")).containsExactly("0");
    }

    @Test
    void aBatchWithADuplicateRequestIdFailsAsAWhole() {
        List<UsageRecord> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) rows.add(row("req-" + i, JUNE_1, "k", "m", Outcome.OK, 1, 1, 0, 1));
        rows.add(row("req-7", JUNE_1, "k", "m", Outcome.OK, 1, 1, 0, 1));
        for (int i = 50; i < 60; i++) rows.add(row("req-" + i, JUNE_1, "k", "m", Outcome.OK, 1, 1, 0, 1));

        assertThatThrownBy(() -> usage.insertBatch(rows)).isInstanceOf(StoreException.class).hasMessageContaining("61 usage records");

        assertThat(db.column("SELECT COUNT(*) FROM usage_records")).containsExactly("0");
    }

    @Test
    void aBatchRepeatingAStoredRequestIdFailsAsAWholeAndTheStoreStaysUsable() {
        usage.insertBatch(List.of(row("stored", JUNE_1, "k", "m", Outcome.OK, 1, 1, 0, 1)));

        assertThatThrownBy(() -> usage.insertBatch(List.of(
                row("new-1", JUNE_1, "k", "m", Outcome.OK, 1, 1, 0, 1),
                row("stored", JUNE_1, "k", "m", Outcome.OK, 1, 1, 0, 1))))
                .isInstanceOf(StoreException.class);

        assertThat(usage.findByRequestId("new-1")).isEmpty();
        // the pooled connections are back in auto-commit and not stuck in a failed transaction
        for (int i = 0; i < 4; i++) usage.insertBatch(List.of(row("after-" + i, JUNE_1, "k", "m", Outcome.OK, 1, 1, 0, 1)));
        assertThat(db.column("SELECT COUNT(*) FROM usage_records")).containsExactly("5");
    }

    @Test
    void totalsAreGroupedByKeyModelAndUtcDay() {
        Instant lastMicroOfJune1 = Instant.parse("2025-06-01T23:59:59.999999Z");
        Instant june2 = JUNE_1.plus(Duration.ofDays(1));
        usage.insertBatch(List.of(
                row("1", JUNE_1, "alice", "qwen", Outcome.OK, 100, 10, 5, 1_000),
                row("2", lastMicroOfJune1, "alice", "qwen", Outcome.ERROR, 0, 0, 0, 0),
                row("3", JUNE_1.plusSeconds(60), "alice", "qwen", Outcome.CANCELLED, 50, 5, 0, 400),
                row("4", JUNE_1.plusSeconds(120), "alice", "opus", Outcome.OK, 7, 3, 1, 9_000),
                row("5", JUNE_1.plusSeconds(180), "bob", "qwen", Outcome.STREAM_CUT, 20, 2, 0, 150),
                row("6", june2, "alice", "qwen", Outcome.OK, 1, 1, 0, 11),
                row("7", june2.plusSeconds(3600), "alice", "qwen", Outcome.OK, 2, 2, 2, 22)));

        List<UsageTotal> totals = usage.totals(JUNE_1, june2.plus(Duration.ofDays(1)), Optional.empty());

        LocalDate d1 = LocalDate.of(2025, 6, 1), d2 = LocalDate.of(2025, 6, 2);
        assertThat(totals).containsExactly(
                new UsageTotal("alice", "opus", d1, 1, 0, 7, 3, 1, 9_000),
                new UsageTotal("alice", "qwen", d1, 3, 2, 150, 15, 5, 1_400),
                new UsageTotal("bob", "qwen", d1, 1, 1, 20, 2, 0, 150),
                new UsageTotal("alice", "qwen", d2, 2, 0, 3, 3, 2, 33));
    }

    @Test
    void totalsCoverFromInclusiveToExclusive() {
        Instant from = JUNE_1.plusSeconds(3600), to = from.plusSeconds(3600);
        usage.insertBatch(List.of(
                row("before", from.minusNanos(1_000), "k", "m", Outcome.OK, 1, 0, 0, 1),
                row("at-from", from, "k", "m", Outcome.OK, 10, 0, 0, 10),
                row("inside", to.minusNanos(1_000), "k", "m", Outcome.OK, 100, 0, 0, 100),
                row("at-to", to, "k", "m", Outcome.OK, 1_000, 0, 0, 1_000)));

        assertThat(usage.totals(from, to, Optional.empty()))
                .containsExactly(new UsageTotal("k", "m", LocalDate.of(2025, 6, 1), 2, 0, 110, 0, 0, 110));
    }

    @Test
    void totalsFilteredByKey() {
        usage.insertBatch(List.of(
                row("1", JUNE_1, "alice", "m", Outcome.OK, 1, 1, 0, 5),
                row("2", JUNE_1, "bob", "m", Outcome.OK, 2, 2, 0, 7),
                row("3", JUNE_1, null, "m", Outcome.ERROR, 0, 0, 0, 0)));

        assertThat(usage.totals(JUNE_1, JUNE_1.plusSeconds(1), Optional.of("bob")))
                .containsExactly(new UsageTotal("bob", "m", LocalDate.of(2025, 6, 1), 1, 0, 2, 2, 0, 7));
        assertThat(usage.totals(JUNE_1, JUNE_1.plusSeconds(1), Optional.of("carol"))).isEmpty();
    }

    @Test
    void totalsPriceByTheModelThatAnsweredOrElseTheNameAsked() {
        var viaAlias = new UsageRecord("1", JUNE_1, "k", "chat_completions", "claude-sonnet-4-5", "qwen3-coder",
                "fleet/qwen", new TokenUsage(10, 1, 0, false), 100, 200, Outcome.OK, 1, -1, false);
        var direct = new UsageRecord("2", JUNE_1, "k", "chat_completions", "qwen3-coder", "qwen3-coder",
                "fleet/qwen", new TokenUsage(20, 2, 0, false), 200, 200, Outcome.OK, 1, -1, false);
        var unknown = new UsageRecord("3", JUNE_1, "k", "chat_completions", "gpt-99", null, null,
                TokenUsage.NONE, 0, 404, Outcome.ERROR, 1, -1, false);
        usage.insertBatch(List.of(viaAlias, direct, unknown));

        assertThat(usage.totals(JUNE_1, JUNE_1.plusSeconds(1), Optional.empty())).containsExactly(
                new UsageTotal("k", "gpt-99", LocalDate.of(2025, 6, 1), 1, 1, 0, 0, 0, 0),
                new UsageTotal("k", "qwen3-coder", LocalDate.of(2025, 6, 1), 2, 0, 30, 3, 0, 300));
    }

    @Test
    void totalsOfRequestsWithoutAKeyAreOrderedTheSameOnEveryDatabase() {
        usage.insertBatch(List.of(
                row("1", JUNE_1, "alice", "m", Outcome.OK, 1, 1, 0, 1),
                row("2", JUNE_1, null, "m", Outcome.ERROR, 0, 0, 0, 0)));

        assertThat(usage.totals(JUNE_1, JUNE_1.plusSeconds(1), Optional.empty()))
                .extracting(UsageTotal::keyId).containsExactly(null, "alice");
    }

    @Test
    void totalsAgreeWithSummingTheRowsInMemory() {
        var random = new Random(7);
        String[] keyIds = {"k1", "k2", "k3"};
        String[] models = {"qwen", "opus", "flash"};
        List<UsageRecord> rows = IntStream.range(0, 600).mapToObj(i -> row("r" + i,
                JUNE_1.plusSeconds(random.nextInt(5 * 24 * 3600)).plusNanos(random.nextInt(1_000_000) * 1_000L),
                keyIds[random.nextInt(3)], models[random.nextInt(3)],
                Outcome.values()[random.nextInt(Outcome.values().length)],
                random.nextInt(100_000), random.nextInt(10_000), random.nextInt(1_000), random.nextInt(1_000_000_000)))
                .toList();
        usage.insertBatch(rows);
        Instant from = JUNE_1.plus(Duration.ofHours(30)), to = JUNE_1.plus(Duration.ofHours(100));

        List<UsageTotal> expected = rows.stream()
                .filter(r -> !r.timestamp().isBefore(from) && r.timestamp().isBefore(to))
                .collect(groupingBy(r -> List.of(r.keyId(), r.servedModel(), LocalDate.ofInstant(r.timestamp(), ZoneOffset.UTC))))
                .values().stream()
                .map(UsageRepositoryTest::sum)
                .sorted(Comparator.comparing(UsageTotal::day).thenComparing(UsageTotal::keyId).thenComparing(UsageTotal::model))
                .toList();

        assertThat(expected).hasSizeGreaterThan(20);
        assertThat(usage.totals(from, to, Optional.empty())).containsExactlyElementsOf(expected);
        assertThat(usage.totals(from, to, Optional.of("k2")))
                .containsExactlyElementsOf(expected.stream().filter(t -> t.keyId().equals("k2")).toList());
    }

    static UsageTotal sum(List<UsageRecord> group) {
        UsageRecord first = group.get(0);
        return new UsageTotal(first.keyId(), first.servedModel(), LocalDate.ofInstant(first.timestamp(), ZoneOffset.UTC),
                group.size(), group.stream().filter(r -> r.outcome() != Outcome.OK).count(),
                group.stream().mapToLong(r -> r.usage().inputTokens()).sum(),
                group.stream().mapToLong(r -> r.usage().outputTokens()).sum(),
                group.stream().mapToLong(r -> r.usage().cachedInputTokens()).sum(),
                group.stream().mapToLong(UsageRecord::costNanos).sum());
    }
}
