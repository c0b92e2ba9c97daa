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

/** Storing a replayed batch: rows already stored are skipped, rows refused as data are reported, the rest stored. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class UsageRepositorySkippingStoredTest {
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

    static UsageRecord row(String requestId, String model) {
        return new UsageRecord(requestId, JUNE_1, "key-1", "chat_completions", model, "m", "fleet/m",
                new TokenUsage(10, 5, 0, false), 100, 200, Outcome.OK, 120, -1, false);
    }

    private List<String> storedIds() {
        return db.column("SELECT request_id FROM usage_records ORDER BY request_id");
    }

    @Test
    void aBatchOfNewRowsIsStoredAndNothingIsReported() {
        assertThat(usage.insertBatchSkippingStored(List.of(row("a", "m"), row("b", "m")))).isEmpty();

        assertThat(storedIds()).containsExactly("a", "b");
    }

    @Test
    void anAlreadyStoredRequestIdIsSkippedAndTheOthersAreStored() {
        UsageRecord stored = row("b", "m");
        usage.insertBatch(List.of(stored));

        List<String> refused = usage.insertBatchSkippingStored(List.of(row("a", "m"), row("b", "other"), row("c", "m")));

        assertThat(refused).isEmpty();
        assertThat(storedIds()).containsExactly("a", "b", "c");
        assertThat(usage.findByRequestId("b")).contains(stored); // the first write wins
    }

    @Test
    void aRowRefusedAsDataIsReportedAndTheOthersAreStored() {
        List<String> refused = usage.insertBatchSkippingStored(
                List.of(row("a", "m"), row("too-long", "x".repeat(201)), row("c", "m")));

        assertThat(refused).containsExactly("too-long");
        assertThat(storedIds()).containsExactly("a", "c");
    }

    @Test
    void aBatchWithBothAStoredAndARefusedRowReportsOnlyTheRefusedOne() {
        usage.insertBatch(List.of(row("stored", "m")));

        List<String> refused = usage.insertBatchSkippingStored(
                List.of(row("stored", "m"), row("too-long", "x".repeat(201)), row("new", "m")));

        assertThat(refused).containsExactly("too-long");
        assertThat(storedIds()).containsExactly("new", "stored");
    }

    @Test
    void replayingTheSameBatchTwiceStoresEachRowOnce() {
        List<UsageRecord> batch = List.of(row("a", "m"), row("b", "m"));
        usage.insertBatchSkippingStored(batch);

        assertThat(usage.insertBatchSkippingStored(batch)).isEmpty();
        assertThat(storedIds()).containsExactly("a", "b");
    }
}
