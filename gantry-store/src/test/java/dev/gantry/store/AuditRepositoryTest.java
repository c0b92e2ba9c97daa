package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.audit.AuditChain;
import dev.gantry.audit.AuditEntry;
import dev.gantry.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The audit chain as stored: one chain whoever appends, and every edit below the repository found. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class AuditRepositoryTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:34:56.123456Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    AuditRepository audit;

    @BeforeEach
    void create() {
        db = backend.create();
        audit = new AuditRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    static AuditEvent event(Instant at, String actor, String action, String targetType, String targetId) {
        return new AuditEvent(at, actor, "name of " + actor, action, targetType, targetId, null,
                "{\"id\":\"" + targetId + "\"}", "192.0.2.7");
    }

    void appendTen() {
        for (int i = 1; i <= 10; i++) {
            audit.append(event(T0.plusSeconds(i), i % 2 == 0 ? "alice" : "bob", i % 3 == 0 ? "key.revoke" : "key.create",
                    i <= 5 ? "key" : "user", "target" + i));
        }
    }

    /** Changes a stored row with plain SQL, as someone with database access could. */
    void execute(String sql, Object... params) {
        try (Connection c = db.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Test
    void appendedEntriesFormAChainFromGenesis() {
        AuditEntry first = audit.append(new AuditEvent(T0.plusNanos(999), "usr_1", "Ada", "user.create", "user", "usr_2",
                null, "{\"email\":\"bob@example.org\"}", "203.0.113.9"));
        AuditEntry second = audit.append(event(T0.plusSeconds(1), "usr_1", "key.create", "key", "key_1"));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(first.at()).isEqualTo(T0);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(audit.list(AuditFilter.ALL, Long.MAX_VALUE, 10).items()).containsExactly(second, first);
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void anEmptyLogVerifies() {
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void listingFiltersAndPagesNewestFirst() {
        appendTen();

        assertThat(audit.list(new AuditFilter("alice", null, null, null, null, null), Long.MAX_VALUE, 100).items())
                .extracting(AuditEntry::seq).containsExactly(10L, 8L, 6L, 4L, 2L);
        assertThat(audit.list(new AuditFilter(null, "key.revoke", null, null, null, null), Long.MAX_VALUE, 100).items())
                .extracting(AuditEntry::seq).containsExactly(9L, 6L, 3L);
        assertThat(audit.list(new AuditFilter(null, null, "user", null, null, null), Long.MAX_VALUE, 100).items())
                .extracting(AuditEntry::seq).containsExactly(10L, 9L, 8L, 7L, 6L);
        assertThat(audit.list(new AuditFilter(null, null, "key", "target3", null, null), Long.MAX_VALUE, 100).items())
                .extracting(AuditEntry::seq).containsExactly(3L);
        assertThat(audit.list(new AuditFilter(null, null, null, null, T0.plusSeconds(3), T0.plusSeconds(6)), Long.MAX_VALUE, 100)
                .items()).extracting(AuditEntry::seq).containsExactly(5L, 4L, 3L);

        Page<AuditEntry> first = audit.list(AuditFilter.ALL, Long.MAX_VALUE, 4);
        audit.append(event(T0.plusSeconds(11), "carol", "team.create", "team", "t1"));
        Page<AuditEntry> second = audit.list(AuditFilter.ALL, first.items().get(3).seq(), 4);
        Page<AuditEntry> third = audit.list(AuditFilter.ALL, second.items().get(3).seq(), 4);

        assertThat(first.items()).extracting(AuditEntry::seq).containsExactly(10L, 9L, 8L, 7L);
        assertThat(second.items()).extracting(AuditEntry::seq).containsExactly(6L, 5L, 4L, 3L);
        assertThat(third.items()).extracting(AuditEntry::seq).containsExactly(2L, 1L);
        assertThat(List.of(first.hasMore(), second.hasMore(), third.hasMore())).containsExactly(true, true, false);
    }

    @Test
    void concurrentAppendsFromTwoReplicasStayOneChain() throws Exception {
        try (Database replica = db.openAgain()) {
            var repositories = List.of(audit, new AuditRepository(replica.dataSource()));
            int threads = 4, appendsEach = 25;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            var start = new CountDownLatch(1);
            var done = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                AuditRepository repository = repositories.get(t % 2);
                String actor = "thread" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < appendsEach; i++) {
                        repository.append(event(T0.plusSeconds(i), actor, "key.create", "key", "k" + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
            pool.shutdown();

            assertThat(audit.verify()).isEmpty();
            assertThat(db.column("SELECT seq FROM audit_log ORDER BY seq")).map(Long::parseLong)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * appendsEach).boxed().toList());
            assertThat(db.column("SELECT seq FROM audit_head")).containsExactly(String.valueOf(threads * appendsEach));
            IntStream.range(0, threads).forEach(t -> assertThat(
                    audit.list(new AuditFilter("thread" + t, null, null, null, null, null), Long.MAX_VALUE, 100).items())
                    .hasSize(appendsEach));
        }
    }

    @Test
    void anEditedRowIsFound() {
        appendTen();

        execute("UPDATE audit_log SET after_json = ? WHERE seq = 4", "{\"id\":\"someone else\"}");

        assertThat(audit.verify()).hasValue(4);
    }

    @Test
    void anEditedRowWithARecomputedHashIsFoundAtTheNextRow() {
        appendTen();
        AuditEntry fourth = audit.list(AuditFilter.ALL, 5, 1).items().get(0);
        var forged = new AuditEvent(fourth.at(), "mallory", "Mallory", fourth.action(), fourth.targetType(),
                fourth.targetId(), fourth.beforeJson(), fourth.afterJson(), fourth.address());

        execute("UPDATE audit_log SET actor_id = ?, actor_name = ?, hash = ? WHERE seq = 4", "mallory", "Mallory",
                AuditChain.hash(fourth.prevHash(), 4, forged));

        assertThat(audit.verify()).hasValue(5);
    }

    @Test
    void aDeletedRowIsFound() {
        appendTen();

        execute("DELETE FROM audit_log WHERE seq = 6");

        assertThat(audit.verify()).hasValue(7);
    }

    @Test
    void aDeletedTailIsFound() {
        appendTen();

        execute("DELETE FROM audit_log WHERE seq >= 9");

        assertThat(audit.verify()).hasValue(9);
    }

    @Test
    void aChainLongerThanOneVerifyPageVerifies() {
        for (int i = 0; i < 1_005; i++) audit.append(event(T0.plusMillis(i), "alice", "key.create", "key", "k" + i));

        assertThat(audit.verify()).isEmpty();

        execute("UPDATE audit_log SET address = ? WHERE seq = 1003", "198.51.100.1");

        assertThat(audit.verify()).hasValue(1003);
    }
}
