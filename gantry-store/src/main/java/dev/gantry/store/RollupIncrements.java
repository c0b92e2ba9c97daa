package dev.gantry.store;

import dev.gantry.usage.Outcome;
import dev.gantry.usage.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.StringJoiner;

/**
 * Adds ledger rows to the roll-up tables in the transaction that inserts them. The ledger and its
 * roll-ups change together, so a crash, a retried batch, a spool replay or another replica writing
 * the same database never makes them disagree, and no raw row is read again, however busy the
 * gateway. (The first design recomputed the current hour from the raw rows every two seconds: at
 * saturation that took a twelfth of the gateway's CPU, and it grew with the hour.)
 *
 * <p>A group's row in each table is updated in place ({@code requests = requests + ?}); a group seen
 * for the first time is inserted. Every adding transaction first locks the roll-up lock row, as
 * {@link RollupRepository#recompute} does, so additions and recomputes never interleave and two
 * replicas never both insert the same new group.
 */
final class RollupIncrements {
    private enum Table {
        HOURLY("usage_rollup_hourly", ChronoUnit.HOURS, RollupRepository.KEY_COLUMNS),
        DAILY("usage_rollup_daily", ChronoUnit.DAYS, RollupRepository.KEY_COLUMNS),
        DAILY_MODEL("usage_rollup_daily_model", ChronoUnit.DAYS, RollupRepository.MODEL_COLUMNS),
        DAILY_USER("usage_rollup_daily_user", ChronoUnit.DAYS, RollupRepository.USER_COLUMNS),
        DAILY_KEY("usage_rollup_daily_key", ChronoUnit.DAYS, RollupRepository.KEY_ONLY_COLUMNS);

        final String name;
        final ChronoUnit bucket;
        final List<String> columns;
        final String insert;

        Table(String name, ChronoUnit bucket, String columns) {
            this.name = name;
            this.bucket = bucket;
            this.columns = List.of(columns.split(", "));
            int values = 1 + this.columns.size() + RollupRepository.SUM_COLUMNS.split(", ").length;
            this.insert = "INSERT INTO " + name + " (bucket_start, " + columns + ", " + RollupRepository.SUM_COLUMNS
                    + ") VALUES (" + "?, ".repeat(values - 1) + "?)";
        }

        /**
         * The row of this table an hourly group adds to: its bucket, then this table's columns
         * (nulls included), taken from the hourly group, which has them all.
         */
        List<Object> group(List<Object> hourly) {
            var group = new Object[1 + columns.size()];
            group[0] = ((Instant) hourly.getFirst()).truncatedTo(bucket);
            for (int i = 0; i < columns.size(); i++) group[i + 1] = hourly.get(1 + HOURLY_COLUMNS.indexOf(columns.get(i)));
            return Arrays.asList(group);
        }
    }

    private static final List<String> HOURLY_COLUMNS = Table.HOURLY.columns;

    private static final String INCREMENTS;

    static {
        var increments = new StringJoiner(", ");
        for (String column : RollupRepository.SUM_COLUMNS.split(", ")) increments.add(column + " = " + column + " + ?");
        INCREMENTS = increments.toString();
    }

    private RollupIncrements() {}

    /**
     * Adds {@code records}, just inserted into the ledger on {@code c}, to every roll-up table: each
     * record once to its hourly group, then the hourly groups summed into each coarser table's rows.
     */
    static void add(Connection c, List<UsageRecord> records) throws SQLException {
        if (records.isEmpty()) return;
        RollupRepository.lock(c);
        var hourly = new LinkedHashMap<List<Object>, RollupTotals>();
        for (UsageRecord r : records) {
            hourly.computeIfAbsent(hourlyGroup(r), g -> new RollupTotals()).addRequest(r.outcome() == Outcome.OK,
                    r.usage().inputTokens(), r.usage().outputTokens(), r.usage().cachedInputTokens(), r.costNanos(),
                    r.latencyMillis(), r.ttftMillis());
        }
        for (Table table : Table.values()) {
            var groups = new LinkedHashMap<List<Object>, RollupTotals>();
            hourly.forEach((group, totals) -> groups.computeIfAbsent(table.group(group), g -> new RollupTotals()).add(totals));
            for (var g : groups.entrySet()) add(c, table, g.getKey(), g.getValue());
        }
    }

    /** The hourly row a ledger row adds to: its hour, then team, user, key, served model and provider. */
    private static List<Object> hourlyGroup(UsageRecord r) {
        var group = new Object[1 + HOURLY_COLUMNS.size()];
        group[0] = r.timestamp().truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i < HOURLY_COLUMNS.size(); i++) group[i + 1] = value(HOURLY_COLUMNS.get(i), r);
        return Arrays.asList(group);
    }

    private static void add(Connection c, Table table, List<Object> group, RollupTotals delta) throws SQLException {
        List<Object> sums = RollupRepository.sums(delta);
        // "column = ?" rather than IS NOT DISTINCT FROM, so that PostgreSQL uses the (bucket, key) index
        var where = new StringBuilder(" WHERE bucket_start = ?");
        var params = new ArrayList<Object>(sums);
        params.add(group.getFirst());
        for (int i = 0; i < table.columns.size(); i++) {
            Object value = group.get(i + 1);
            where.append(" AND ").append(table.columns.get(i)).append(value == null ? " IS NULL" : " = ?");
            if (value != null) params.add(value);
        }
        if (execute(c, "UPDATE " + table.name + " SET " + INCREMENTS + where, params) > 0) return;
        var row = new ArrayList<Object>(group);
        row.addAll(sums);
        execute(c, table.insert, row);
    }

    private static int execute(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            RollupRepository.bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private static Object value(String column, UsageRecord r) {
        return switch (column) {
            case "team_id" -> r.teamId();
            case "user_id" -> r.userId();
            case "key_id" -> r.keyId();
            case "model" -> r.servedModel() != null ? r.servedModel() : r.model();
            case "provider" -> RollupRepository.provider(r.deployment());
            default -> throw new IllegalArgumentException("no roll-up column " + column);
        };
    }
}
