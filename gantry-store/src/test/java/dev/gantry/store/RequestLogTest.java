package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.store.RollupRepository.Filter;
import dev.gantry.store.UsageRepository.RequestQuery;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The request log: newest first, paged by request id, filtered, across time windows. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class RequestLogTest {
    static final Instant END = Instant.parse("2026-11-30T00:00:00Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    UsageRepository usage;
    List<UsageRecord> rows = new ArrayList<>();

    @BeforeEach
    void create() {
        db = backend.create();
        usage = new UsageRepository(db.database().dataSource());
        // 40 requests, one every 17 hours backwards from END: they span many of the search's windows
        for (int i = 0; i < 40; i++) {
            Instant ts = END.minus(Duration.ofHours(17L * i + 1));
            String id = "req_%012x%016x".formatted(ts.toEpochMilli(), i);
            boolean failed = i % 5 == 0;
            rows.add(new UsageRecord(id, ts, i % 2 == 0 ? "k1" : "k2", null, null, "chat_completions", "m", "m", "p/m",
                    new TokenUsage(1, 1, 0, false), 1, failed ? 503 : 200, failed ? Outcome.ERROR : Outcome.OK, i * 10L, -1, false));
        }
        usage.insertBatch(rows);
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    List<String> ids(Filter filter, String status, Long minLatency, String before, int limit) {
        return usage.newest(new RequestQuery(END.minus(Duration.ofDays(60)), END, filter, status, minLatency, before, limit))
                .stream().map(UsageRecord::requestId).toList();
    }

    @Test
    void pagesNewestFirstWithoutGapsOrRepeats() {
        var seen = new ArrayList<String>();
        String after = null;
        for (int page = 0; page < 10; page++) {
            List<String> ids = ids(Filter.ALL, null, null, after, 7);
            seen.addAll(ids);
            if (ids.size() < 7) break;
            after = ids.getLast();
        }
        assertThat(seen).containsExactlyElementsOf(rows.stream().map(UsageRecord::requestId).toList());
    }

    @Test
    void filtersByStatusLatencyAndKeys() {
        assertThat(ids(Filter.ALL, "error", null, null, 100)).hasSize(8);
        assertThat(ids(Filter.ALL, "503", null, null, 100)).hasSize(8);
        assertThat(ids(Filter.ALL, "ok", null, null, 100)).hasSize(32);
        assertThat(ids(Filter.ALL, null, 300L, null, 100)).hasSize(10);
        assertThat(ids(new Filter(null, null, null, null, Set.of("k2")), null, null, null, 100)).hasSize(20)
                .allMatch(id -> rows.stream().anyMatch(r -> r.requestId().equals(id) && r.keyId().equals("k2")));
        assertThat(ids(new Filter(null, null, null, null, Set.of()), null, null, null, 100)).isEmpty();
        assertThat(ids(new Filter(null, null, null, "other", null), null, null, null, 100)).isEmpty();
    }
}
