package dev.gantry.store;

import dev.gantry.audit.AuditChain;
import dev.gantry.audit.AuditEntry;
import dev.gantry.audit.AuditEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The audit log: an append-only hash chain ({@link AuditChain}). Blocking JDBC.
 *
 * <p>Appends serialise on the one row of {@code audit_head}: each append's transaction first
 * updates that row (taking its lock until commit, on H2 as on PostgreSQL), reads the seq and hash
 * to follow, inserts the entry and moves the head to it. A second append, from this process or
 * another replica, waits at its first update until the first commits, and then reads the new
 * head: the chain never forks, and seqs have no gaps. Appends are rare (administrators' changes),
 * so one row lock is no bottleneck.
 */
public final class AuditRepository {
    private static final String COLUMNS = "seq, at, actor_id, actor_name, action, target_type, target_id, before_json, "
            + "after_json, address, prev_hash, hash";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM audit_log";
    private static final int VERIFY_PAGE = 1_000;

    private final DataSource ds;

    public AuditRepository(DataSource ds) { this.ds = ds; }

    /** Adds the event at the end of the chain; the entry as stored, with its seq and hashes. */
    public AuditEntry append(AuditEvent event) {
        return Jdbc.transaction(ds, "append audit " + event.action(), c -> {
            Jdbc.update(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1", List.of());
            Head head = head(c);
            AuditEntry entry = AuditEntry.link(head.seq(), event, head.hash());
            Jdbc.update(c, "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Arrays.asList(entry.seq(), entry.at(), entry.actorId(), entry.actorName(), entry.action(),
                            entry.targetType(), entry.targetId(), entry.beforeJson(), entry.afterJson(), entry.address(),
                            entry.prevHash(), entry.hash()));
            Jdbc.update(c, "UPDATE audit_head SET hash = ? WHERE id = 1", List.of(entry.hash()));
            return entry;
        });
    }

    /**
     * Up to {@code limit} entries the filter matches with a seq below {@code beforeSeq}, newest
     * first. The first page passes {@link Long#MAX_VALUE}; the next passes the last seq of the one
     * before, so that entries appended meanwhile do not shift the pages.
     */
    public Page<AuditEntry> list(AuditFilter filter, long beforeSeq, int limit) {
        var page = PageRequest.first(limit);
        var where = new ArrayList<String>(List.of("seq < ?"));
        var params = new ArrayList<Object>(List.of(beforeSeq));
        addEquals(where, params, "actor_id", filter.actorId());
        addEquals(where, params, "action", filter.action());
        addEquals(where, params, "target_type", filter.targetType());
        addEquals(where, params, "target_id", filter.targetId());
        if (filter.from() != null) {
            where.add("at >= ?");
            params.add(filter.from());
        }
        if (filter.to() != null) {
            where.add("at < ?");
            params.add(filter.to());
        }
        String sql = SELECT + " WHERE " + String.join(" AND ", where) + " ORDER BY seq DESC" + page.sql();
        return page.page(query(sql, params));
    }

    /**
     * Walks the chain as far as the head said at the start and returns the seq of the first entry
     * that does not follow from the one before it, or of the first entry missing from the end;
     * empty if the chain is whole.
     */
    public OptionalLong verify() {
        Head head = Jdbc.run(ds, "read audit head", AuditRepository::head);
        long lastSeq = 0;
        String lastHash = AuditChain.GENESIS;
        while (lastSeq < head.seq()) {
            List<AuditEntry> entries = query(SELECT + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT " + VERIFY_PAGE,
                    List.of(lastSeq, head.seq()));
            if (entries.isEmpty()) break;
            OptionalLong broken = AuditChain.verify(lastHash, entries);
            if (broken.isPresent()) return broken;
            AuditEntry last = entries.get(entries.size() - 1);
            lastSeq = last.seq();
            lastHash = last.hash();
        }
        if (lastSeq != head.seq()) return OptionalLong.of(lastSeq + 1);
        return lastHash.equals(head.hash()) ? OptionalLong.empty() : OptionalLong.of(head.seq());
    }

    private record Head(long seq, String hash) {}

    private static Head head(Connection c) throws SQLException {
        return Jdbc.query(c, "SELECT seq, hash FROM audit_head WHERE id = 1", List.of(),
                rs -> new Head(rs.getLong("seq"), rs.getString("hash"))).get(0);
    }

    private static void addEquals(List<String> where, List<Object> params, String column, String value) {
        if (value == null) return;
        where.add(column + " = ?");
        params.add(value);
    }

    private List<AuditEntry> query(String sql, List<?> params) {
        return Jdbc.run(ds, "query audit log", c -> Jdbc.query(c, sql, params, AuditRepository::read));
    }

    private static AuditEntry read(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), Jdbc.instant(rs, "at"), rs.getString("actor_id"),
                rs.getString("actor_name"), rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                rs.getString("before_json"), rs.getString("after_json"), rs.getString("address"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }
}
