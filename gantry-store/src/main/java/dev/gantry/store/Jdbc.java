package dev.gantry.store;

import dev.gantry.identity.Quota;
import dev.gantry.limits.BudgetPeriod;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Conversions and plumbing both H2 and PostgreSQL drivers accept, shared by the repositories. */
final class Jdbc {
    /** The budget and limit columns, in the order {@link #bindQuota} binds them. */
    static final String QUOTA_COLUMNS = "budget_usd_nanos, budget_tokens, budget_period, rpm, tpm, max_parallel";
    static final String QUOTA_ASSIGNMENTS =
            "budget_usd_nanos = ?, budget_tokens = ?, budget_period = ?, rpm = ?, tpm = ?, max_parallel = ?";

    private Jdbc() {}

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime odt = rs.getObject(column, OffsetDateTime.class);
        return odt == null ? null : odt.toInstant();
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Quota quota(ResultSet rs) throws SQLException {
        return new Quota(nullableLong(rs, "budget_usd_nanos"), nullableLong(rs, "budget_tokens"),
                BudgetPeriod.fromName(rs.getString("budget_period")).orElse(BudgetPeriod.MONTH),
                nullableInt(rs, "rpm"), nullableInt(rs, "tpm"), nullableInt(rs, "max_parallel"));
    }

    /** The six values of {@link #QUOTA_COLUMNS}, to splice into a parameter list. */
    static List<Object> quotaParams(Quota q) {
        var params = new ArrayList<Object>(6);
        params.add(q.budgetUsdNanos());
        params.add(q.budgetTokens());
        params.add(q.budgetPeriod().dbName());
        params.add(q.rpm());
        params.add(q.tpm());
        params.add(q.maxParallel());
        return params;
    }

    /** Binds parameters in order; instants become timestamps with time zone. */
    static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            ps.setObject(i + 1, p instanceof Instant instant ? ts(instant) : p);
        }
    }

    static <T> List<T> query(Connection c, String sql, List<?> params, Row<T> row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                var rows = new ArrayList<T>();
                while (rs.next()) rows.add(row.read(rs));
                return rows;
            }
        }
    }

    static int update(Connection c, String sql, List<?> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** One statement on its own connection; failures become {@link StoreException}s naming {@code what}. */
    static <T> T run(DataSource ds, String what, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Statements that commit together or not at all. */
    static <T> T transaction(DataSource ds, String what, Work<T> work) {
        return run(ds, what, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    static StoreException failure(String what, SQLException e) {
        return isUniqueViolation(e) ? new ConflictException(what, e) : new StoreException(what, e);
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(sqlState(e));
    }

    /** The state of the first chained exception that has one: batch failures nest the row's cause. */
    static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t instanceof SQLException s && s.getNextException() != null ? s.getNextException() : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && !s.getSQLState().isEmpty()) {
                String state = s.getSQLState();
                if (!state.equals("HY000") && !state.startsWith("08")) return state;
            }
        }
        return null;
    }

    /** A LIKE pattern matching {@code text} anywhere, its wildcards taken literally (escape character {@code \}). */
    static String containing(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
