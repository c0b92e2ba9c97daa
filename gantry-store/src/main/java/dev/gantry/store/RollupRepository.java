package dev.gantry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * Hourly and daily roll-ups of {@code usage_records}, what dashboards read instead of the raw rows.
 * Rows inserted through {@link UsageRepository} are added to them as they are stored
 * ({@link RollupIncrements}). A recompute replaces whole hours from the raw rows and then the UTC
 * days containing them from the hourly rows, in one transaction per day, so running it again gives
 * the same rows: it rolls up rows that reached the ledger some other way (written before roll-ups
 * existed). Recomputes and additions lock {@code usage_rollup_lock} first, so they take turns.
 * Blocking JDBC.
 */
public final class RollupRepository {
    /** Which table a query reads. */
    public enum Grain {
        HOUR("usage_rollup_hourly", ChronoUnit.HOURS), DAY("usage_rollup_daily", ChronoUnit.DAYS);

        final String table;
        final ChronoUnit unit;

        Grain(String table, ChronoUnit unit) {
            this.table = table;
            this.unit = unit;
        }

        public Instant floor(Instant t) { return t.truncatedTo(unit); }

        public Instant ceil(Instant t) {
            Instant f = floor(t);
            return f.equals(t) ? t : f.plus(1, unit);
        }
    }

    /** What rows are grouped by besides their bucket. */
    public enum Dimension {
        NONE(null), MODEL("model"), PROVIDER("provider"), TEAM("team_id"), USER("user_id"), KEY("key_id");

        final String column;

        Dimension(String column) { this.column = column; }
    }

    /**
     * Which rows count. Each filter is null for any; {@code keys} is null for every key, else only
     * usage of these keys (the caller's readable keys: an empty set reads nothing).
     */
    public record Filter(String teamId, String userId, String keyId, String model, Set<String> keys) {
        public static final Filter ALL = new Filter(null, null, null, null, null);

        boolean nothing() { return keys != null && keys.isEmpty(); }

        void where(StringBuilder sql, List<Object> params, String modelColumn) {
            equal(sql, params, "team_id", teamId);
            equal(sql, params, "user_id", userId);
            equal(sql, params, "key_id", keyId);
            equal(sql, params, modelColumn, model);
            if (keys != null) {
                var in = new StringJoiner(", ", " AND key_id IN (", ")");
                for (String k : keys) {
                    in.add("?");
                    params.add(k);
                }
                sql.append(in);
            }
        }

        private static void equal(StringBuilder sql, List<Object> params, String column, String value) {
            if (value == null) return;
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    /** One group's sums; {@code bucket} is null when not grouped by bucket, {@code group} null for {@link Dimension#NONE}. */
    public record Row(Instant bucket, String group, RollupTotals totals) {}

    private record GroupKey(Instant hour, String teamId, String userId, String keyId, String model, String provider) {}

    static final String KEY_COLUMNS = "team_id, user_id, key_id, model, provider";
    static final String MODEL_COLUMNS = "team_id, model, provider";
    static final String USER_COLUMNS = "team_id, user_id";
    static final String KEY_ONLY_COLUMNS = "team_id, user_id, key_id";
    static final String SUM_COLUMNS;
    private static final String HISTOGRAM_COLUMNS;

    static {
        var histograms = new StringJoiner(", ");
        for (String p : List.of("lat", "ttft")) for (int i = 0; i < LatencyHistogram.BUCKETS; i++) histograms.add(column(p, i));
        HISTOGRAM_COLUMNS = histograms.toString();
        SUM_COLUMNS = "requests, errors, input_tokens, output_tokens, cached_input_tokens, cost_nanos, latency_ms_sum, ttft_count, "
                + HISTOGRAM_COLUMNS;
    }

    private final DataSource ds;

    public RollupRepository(DataSource ds) { this.ds = ds; }

    private static String column(String prefix, int bucket) { return prefix + "_" + (bucket < 10 ? "0" : "") + bucket; }

    /** Recomputes every hour that overlaps {@code [from, to)} and the days containing them. */
    public void recompute(Instant from, Instant to) {
        Instant hour = Grain.HOUR.floor(from), end = Grain.HOUR.ceil(to);
        while (hour.isBefore(end)) {
            Instant dayEnd = Grain.DAY.floor(hour).plus(Duration.ofDays(1));
            Instant until = end.isBefore(dayEnd) ? end : dayEnd;
            Instant start = hour;
            Jdbc.transaction(ds, "roll up usage from " + start, c -> {
                recomputeHours(c, start, until);
                recomputeDay(c, Grain.DAY.floor(start));
                return null;
            });
            hour = until;
        }
    }

    /**
     * How many ledger rows the roll-ups lack: rows written before roll-ups existed, or before they
     * were added as rows are stored. Read in one statement, so that rows stored meanwhile (which
     * reach both) do not count.
     */
    public long missingRows() {
        return Jdbc.run(ds, "count rows missing from the roll-ups", c -> Jdbc.query(c,
                "SELECT (SELECT COUNT(*) FROM usage_records) - (SELECT COALESCE(SUM(requests), 0) FROM usage_rollup_daily_model) AS n",
                List.of(), rs -> rs.getLong("n")).getFirst());
    }

    /** When the oldest stored request was made, if any: where a rebuild starts. */
    public Optional<Instant> oldestUsage() {
        return Jdbc.run(ds, "read the oldest usage", c -> {
            List<Instant> found = Jdbc.query(c, "SELECT MIN(ts) AS t FROM usage_records", List.of(),
                    rs -> rs.getObject("t") == null ? null : Jdbc.instant(rs, "t"));
            return Optional.ofNullable(found.isEmpty() ? null : found.getFirst());
        });
    }

    /**
     * Sums rows whose bucket starts in {@code [from, to)}, grouped by bucket (if {@code byBucket})
     * and {@code dimension}. Buckets come out in order; groups in no particular order.
     */
    public List<Row> sum(Grain grain, Instant from, Instant to, Filter filter, Dimension dimension, boolean byBucket) {
        if (filter.nothing()) return List.of();
        var sums = new StringJoiner(", ");
        for (String col : SUM_COLUMNS.split(", ")) sums.add("SUM(" + col + ") AS " + col);
        var groupBy = new StringJoiner(", ");
        if (byBucket) groupBy.add("bucket_start");
        if (dimension.column != null) groupBy.add(dimension.column);
        var sql = new StringBuilder("SELECT ");
        if (byBucket) sql.append("bucket_start, ");
        if (dimension.column != null) sql.append(dimension.column).append(" AS grp, ");
        sql.append(sums).append(" FROM ").append(table(grain, filter, dimension)).append(" WHERE bucket_start >= ? AND bucket_start < ?");
        var params = new ArrayList<Object>(List.of(from, to));
        filter.where(sql, params, "model");
        if (groupBy.length() > 0) sql.append(" GROUP BY ").append(groupBy);
        if (byBucket) sql.append(" ORDER BY bucket_start");
        return Jdbc.run(ds, "sum usage roll-ups", c -> Jdbc.query(c, sql.toString(), params, rs -> {
            RollupTotals t = totals(rs);
            return new Row(byBucket ? Jdbc.instant(rs, "bucket_start") : null,
                    dimension.column != null ? rs.getString("grp") : null, t);
        })).stream().filter(r -> r.totals().requests() > 0).toList();
    }

    /**
     * The daily table has a row per key, model and day, so a month of a busy gateway is hundreds of
     * thousands of rows; the narrower daily tables drop what a query does not need: model and
     * provider (per key), user and key (per model), or all but team and user. A query reads the
     * narrowest that still holds the columns it filters and groups by.
     */
    private static String table(Grain grain, Filter filter, Dimension dimension) {
        if (grain != Grain.DAY) return grain.table;
        boolean byModel = filter.model() != null || dimension == Dimension.MODEL || dimension == Dimension.PROVIDER;
        boolean byKey = filter.keys() != null || filter.keyId() != null || dimension == Dimension.KEY;
        boolean byUser = filter.userId() != null || dimension == Dimension.USER;
        if (byModel) return byKey || byUser ? grain.table : "usage_rollup_daily_model";
        if (byKey) return "usage_rollup_daily_key";
        return byUser ? "usage_rollup_daily_user" : "usage_rollup_daily_model";
    }

    private static RollupTotals totals(ResultSet rs) throws SQLException {
        var t = new RollupTotals();
        t.set(rs.getLong("requests"), rs.getLong("errors"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cached_input_tokens"), rs.getLong("cost_nanos"), rs.getLong("latency_ms_sum"), rs.getLong("ttft_count"));
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            t.latency().add(i, rs.getLong(column("lat", i)));
            t.ttft().add(i, rs.getLong(column("ttft", i)));
        }
        return t;
    }

    /** Takes the roll-up lock row until the transaction ends: recomputes and additions go one at a time. */
    static void lock(Connection c) throws SQLException {
        Jdbc.query(c, "SELECT id FROM usage_rollup_lock WHERE id = 1 FOR UPDATE", List.of(), rs -> rs.getInt(1));
    }

    /**
     * {@link Jdbc#bind}, with a null bound as text: every nullable roll-up column is text, and
     * PostgreSQL must be told a null's type where nothing else in the statement says it.
     */
    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p == null) ps.setNull(i + 1, Types.VARCHAR);
            else ps.setObject(i + 1, p instanceof Instant instant ? Jdbc.ts(instant) : p);
        }
    }

    /** A group's sums in the order of {@link #SUM_COLUMNS}. */
    static List<Object> sums(RollupTotals t) {
        var sums = new ArrayList<Object>(8 + 2 * LatencyHistogram.BUCKETS);
        sums.addAll(List.of(t.requests(), t.errors(), t.inputTokens(), t.outputTokens(), t.cachedInputTokens(),
                t.costNanos(), t.latencySumMillis(), t.ttftCount()));
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) sums.add(t.latency().count(i));
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) sums.add(t.ttft().count(i));
        return sums;
    }

    private static void recomputeHours(Connection c, Instant from, Instant to) throws SQLException {
        lock(c);
        Jdbc.update(c, "DELETE FROM usage_rollup_hourly WHERE bucket_start >= ? AND bucket_start < ?", List.of(from, to));
        var groups = new HashMap<GroupKey, RollupTotals>();
        String sql = "SELECT ts, team_id, user_id, key_id, COALESCE(served_model, model) AS m, deployment, outcome, input_tokens, "
                + "output_tokens, cached_input_tokens, cost_nanos, latency_ms, ttft_ms FROM usage_records WHERE ts >= ? AND ts < ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000); // PostgreSQL streams (in a transaction) instead of holding a day's rows
            Jdbc.bind(ps, List.of(from, to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var key = new GroupKey(Jdbc.instant(rs, "ts").truncatedTo(ChronoUnit.HOURS), rs.getString("team_id"),
                            rs.getString("user_id"), rs.getString("key_id"), rs.getString("m"), provider(rs.getString("deployment")));
                    long ttft = rs.getLong("ttft_ms");
                    if (rs.wasNull()) ttft = -1;
                    groups.computeIfAbsent(key, k -> new RollupTotals()).addRequest("ok".equals(rs.getString("outcome")),
                            rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_input_tokens"),
                            rs.getLong("cost_nanos"), rs.getLong("latency_ms"), ttft);
                }
            }
        }
        insert(c, groups);
    }

    private static void insert(Connection c, Map<GroupKey, RollupTotals> groups) throws SQLException {
        int columns = 6 + 8 + 2 * LatencyHistogram.BUCKETS;
        String sql = "INSERT INTO usage_rollup_hourly (bucket_start, " + KEY_COLUMNS + ", " + SUM_COLUMNS + ") VALUES ("
                + "?, ".repeat(columns - 1) + "?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int pending = 0;
            for (var e : groups.entrySet()) {
                GroupKey k = e.getKey();
                RollupTotals t = e.getValue();
                var params = new ArrayList<Object>(columns);
                params.addAll(Arrays.asList(k.hour(), k.teamId(), k.userId(), k.keyId(), k.model(), k.provider()));
                params.addAll(sums(t));
                bind(ps, params);
                ps.addBatch();
                if (++pending == 1_000) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) ps.executeBatch();
        }
    }

    private static void recomputeDay(Connection c, Instant day) throws SQLException {
        Instant next = day.plus(Duration.ofDays(1));
        var sums = new StringJoiner(", ");
        for (String col : SUM_COLUMNS.split(", ")) sums.add("SUM(" + col + ")");
        Jdbc.update(c, "DELETE FROM usage_rollup_daily WHERE bucket_start = ?", List.of(day));
        Jdbc.update(c, "INSERT INTO usage_rollup_daily (bucket_start, " + KEY_COLUMNS + ", " + SUM_COLUMNS + ") SELECT ?, "
                + KEY_COLUMNS + ", " + sums + " FROM usage_rollup_hourly WHERE bucket_start >= ? AND bucket_start < ? GROUP BY "
                + KEY_COLUMNS, List.of(day, day, next));
        narrow(c, "usage_rollup_daily_model", MODEL_COLUMNS, sums, day);
        narrow(c, "usage_rollup_daily_user", USER_COLUMNS, sums, day);
        narrow(c, "usage_rollup_daily_key", KEY_ONLY_COLUMNS, sums, day);
    }

    /** Replaces a narrow daily table's rows of {@code day} with the day's per-key rows summed over what it drops. */
    private static void narrow(Connection c, String table, String columns, StringJoiner sums, Instant day) throws SQLException {
        Jdbc.update(c, "DELETE FROM " + table + " WHERE bucket_start = ?", List.of(day));
        Jdbc.update(c, "INSERT INTO " + table + " (bucket_start, " + columns + ", " + SUM_COLUMNS + ") SELECT ?, "
                + columns + ", " + sums + " FROM usage_rollup_daily WHERE bucket_start = ? GROUP BY " + columns, List.of(day, day));
    }

    /**
     * The provider of a usage row's deployment ({@code provider/upstream-model}, see
     * {@code Deployment.id}): the text before the first '/'. Upstream model ids may hold '/' and ':'
     * themselves (org/model, model:tag), provider names do not.
     */
    static String provider(String deployment) {
        if (deployment == null) return null;
        int slash = deployment.indexOf('/');
        return slash < 0 ? deployment : deployment.substring(0, slash);
    }
}
