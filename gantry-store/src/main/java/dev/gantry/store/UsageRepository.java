package dev.gantry.store;

import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** The usage ledger: one row per request, written in batches, summed for reports. Blocking JDBC. */
public final class UsageRepository {
    private static final String COLUMNS = "request_id, ts, usage_day, key_id, endpoint, model, deployment, input_tokens, "
            + "output_tokens, cached_input_tokens, estimated, cost_nanos, http_status, outcome, latency_ms, ttft_ms, stream, "
            + "served_model, user_id, team_id";

    private final DataSource ds;

    public UsageRepository(DataSource ds) { this.ds = ds; }

    /** Inserts the rows, and adds them to the roll-ups, in one transaction. */
    public void insertBatch(List<UsageRecord> records) {
        String sql = "INSERT INTO usage_records (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (UsageRecord r : records) {
                    bind(ps, r);
                    ps.addBatch();
                }
                ps.executeBatch();
                RollupIncrements.add(c, records);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("insert " + records.size() + " usage records", e);
        }
    }

    /**
     * Inserts the rows, skipping those already stored (by request id) and those the database
     * refuses as data (SQL states 22xxx and 23xxx): a replay of the usage spool stores each record
     * exactly once, and one bad row never holds the others back. The common case is one batch.
     * A database that is down still throws, so that the caller retries.
     *
     * @return the ids of the rows refused as data, for the caller to report
     */
    public List<String> insertBatchSkippingStored(List<UsageRecord> records) {
        try {
            insertBatch(records);
            return List.of();
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql) || !isDataError(sql)) throw e;
        }
        var refused = new ArrayList<String>();
        for (UsageRecord r : records) {
            try {
                insertBatch(List.of(r));
            } catch (StoreException e) {
                if (!(e.getCause() instanceof SQLException sql) || !isDataError(sql)) throw e;
                if (!Jdbc.isUniqueViolation(sql)) refused.add(r.requestId());
            }
        }
        return refused;
    }

    private static boolean isDataError(SQLException e) {
        String state = Jdbc.sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    public Optional<UsageRecord> findByRequestId(String requestId) {
        String sql = "SELECT " + COLUMNS + " FROM usage_records WHERE request_id = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("find usage " + requestId, e);
        }
    }

    /**
     * Which requests the request log lists, newest first.
     *
     * @param status     {@code ok}, {@code error} (any other outcome) or an HTTP status; null for any
     * @param minLatency null for any
     * @param before     a request id: only older requests (by id); null for the newest
     */
    public record RequestQuery(Instant from, Instant to, RollupRepository.Filter filter, String status, Long minLatency,
                               String before, int limit) {}

    private static final Duration FIRST_WINDOW = Duration.ofHours(1);

    /**
     * Up to {@code limit} requests, newest (highest request id) first. A month holds millions of
     * rows and sorting them all for one page would take seconds, so this reads windows of time
     * backwards from the end, each eight times longer than the last, through the {@code ts} index,
     * until it has a page. Request ids start with their time, so a cursor also bounds the time.
     */
    public List<UsageRecord> newest(RequestQuery q) {
        if (q.filter().nothing()) return List.of();
        Instant end = q.to();
        if (q.before() != null) end = min(end, RequestIdTime.of(q.before()).map(t -> t.plus(Duration.ofMinutes(1))).orElse(end));
        var rows = new ArrayList<UsageRecord>();
        Duration window = FIRST_WINDOW;
        while (rows.size() < q.limit() && end.isAfter(q.from())) {
            Instant start = end.minus(window).isBefore(q.from()) ? q.from() : end.minus(window);
            rows.addAll(page(q, start, end, q.limit() - rows.size()));
            end = start;
            window = window.multipliedBy(8);
        }
        return rows;
    }

    private List<UsageRecord> page(RequestQuery q, Instant from, Instant to, int limit) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM usage_records WHERE ts >= ? AND ts < ?");
        var params = new ArrayList<Object>(List.of(from, to));
        q.filter().where(sql, params, "COALESCE(served_model, model)");
        if ("ok".equals(q.status())) sql.append(" AND outcome = 'ok'");
        else if ("error".equals(q.status())) sql.append(" AND outcome <> 'ok'");
        else if (q.status() != null) {
            sql.append(" AND http_status = ?");
            params.add(Integer.parseInt(q.status()));
        }
        if (q.minLatency() != null) {
            sql.append(" AND latency_ms >= ?");
            params.add(q.minLatency());
        }
        if (q.before() != null) {
            sql.append(" AND request_id < ?");
            params.add(q.before());
        }
        sql.append(" ORDER BY request_id DESC LIMIT ").append(limit);
        return Jdbc.run(ds, "list requests", c -> Jdbc.query(c, sql.toString(), params, UsageRepository::read));
    }

    private static Instant min(Instant a, Instant b) { return a.isBefore(b) ? a : b; }

    /**
     * Totals per key, model and UTC day for requests in {@code [from, to)}, ordered by day, key,
     * model (requests without a key first). The model is the one that answered (what the spend is
     * priced by), or the asked name for requests no model answered.
     */
    public List<UsageTotal> totals(Instant from, Instant to, Optional<String> keyId) {
        String sql = "SELECT key_id, COALESCE(served_model, model) AS model, usage_day, COUNT(*) AS requests, "
                + "SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS errors, "
                + "SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
                + "SUM(cached_input_tokens) AS cached_input_tokens, SUM(cost_nanos) AS cost_nanos "
                + "FROM usage_records WHERE ts >= ? AND ts < ?" + (keyId.isPresent() ? " AND key_id = ?" : "")
                // NULLS FIRST: H2 and PostgreSQL put nulls (requests without a key) at opposite ends otherwise
                + " GROUP BY key_id, COALESCE(served_model, model), usage_day"
                + " ORDER BY usage_day, key_id NULLS FIRST, model NULLS FIRST";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, Jdbc.ts(from));
            ps.setObject(2, Jdbc.ts(to));
            if (keyId.isPresent()) ps.setString(3, keyId.get());
            try (ResultSet rs = ps.executeQuery()) {
                var totals = new ArrayList<UsageTotal>();
                while (rs.next()) {
                    totals.add(new UsageTotal(rs.getString("key_id"), rs.getString("model"),
                            rs.getObject("usage_day", LocalDate.class), rs.getLong("requests"), rs.getLong("errors"),
                            rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                            rs.getLong("cached_input_tokens"), rs.getLong("cost_nanos")));
                }
                return totals;
            }
        } catch (SQLException e) {
            throw new StoreException("sum usage", e);
        }
    }

    /**
     * What was spent at or after {@code since}, summed by key, by user, by team and overall: the
     * spend a budget whose period started then has used. One pass over the period's rows.
     */
    public SpendTotals spendSince(Instant since) {
        String sql = "SELECT key_id, user_id, team_id, SUM(cost_nanos) AS cost_nanos, "
                + "SUM(input_tokens + output_tokens) AS tokens FROM usage_records WHERE ts >= ? GROUP BY key_id, user_id, team_id";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, Jdbc.ts(since));
            try (ResultSet rs = ps.executeQuery()) {
                var totals = new SpendTotals.Builder();
                while (rs.next()) {
                    totals.add(rs.getString("key_id"), rs.getString("user_id"), rs.getString("team_id"),
                            new Spend(rs.getLong("cost_nanos"), rs.getLong("tokens")));
                }
                return totals.build();
            }
        } catch (SQLException e) {
            throw new StoreException("sum spend since " + since, e);
        }
    }

    private static void bind(PreparedStatement ps, UsageRecord r) throws SQLException {
        ps.setString(1, r.requestId());
        ps.setObject(2, Jdbc.ts(r.timestamp()));
        ps.setObject(3, LocalDate.ofInstant(r.timestamp(), ZoneOffset.UTC));
        ps.setString(4, r.keyId());
        ps.setString(5, r.endpoint());
        ps.setString(6, r.model());
        ps.setString(7, r.deployment());
        ps.setLong(8, r.usage().inputTokens());
        ps.setLong(9, r.usage().outputTokens());
        ps.setLong(10, r.usage().cachedInputTokens());
        ps.setBoolean(11, r.usage().estimated());
        ps.setLong(12, r.costNanos());
        ps.setInt(13, r.httpStatus());
        ps.setString(14, r.outcome().dbName());
        ps.setLong(15, r.latencyMillis());
        if (r.ttftMillis() >= 0) ps.setLong(16, r.ttftMillis());
        else ps.setNull(16, Types.BIGINT);
        ps.setBoolean(17, r.stream());
        ps.setString(18, r.servedModel());
        ps.setString(19, r.userId());
        ps.setString(20, r.teamId());
    }

    private static UsageRecord read(ResultSet rs) throws SQLException {
        long ttft = rs.getLong("ttft_ms");
        if (rs.wasNull()) ttft = -1;
        var usage = new TokenUsage(rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cached_input_tokens"), rs.getBoolean("estimated"));
        return new UsageRecord(rs.getString("request_id"), Jdbc.instant(rs, "ts"), rs.getString("key_id"),
                rs.getString("user_id"), rs.getString("team_id"), rs.getString("endpoint"), rs.getString("model"),
                rs.getString("served_model"), rs.getString("deployment"), usage,
                rs.getLong("cost_nanos"), rs.getInt("http_status"),
                Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)), rs.getLong("latency_ms"), ttft,
                rs.getBoolean("stream"));
    }
}
