package dev.gantry.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gantry.config.GatewayConfig.DatabaseSettings;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool, migrated to the current schema on open. H2 embedded or PostgreSQL. */
public final class Database implements AutoCloseable {
    /** The page cache an embedded H2 file database gets unless its URL sets one (see withH2Defaults). */
    static final int H2_CACHE_KB = 1024;

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) { this.pool = pool; }

    public static Database open(DatabaseSettings settings) {
        var hc = new HikariConfig();
        hc.setJdbcUrl(withH2Defaults(settings.url()));
        if (settings.username() != null) hc.setUsername(settings.username());
        if (settings.password() != null) hc.setPassword(settings.password());
        hc.setMaximumPoolSize(settings.poolSize());
        hc.setPoolName("gantry-db");
        hc.setConnectionTimeout(5_000);
        hc.setInitializationFailTimeout(10_000);
        var pool = new HikariDataSource(hc);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    /**
     * H2 must outlive JVM shutdown hooks until the gateway has flushed its usage queue, and must
     * write each commit at once: by default it writes commits up to a second late, and a killed
     * process would lose them after the usage spool had been told they were stored.
     *
     * <p>Its page cache is kept at {@value #H2_CACHE_KB} KB rather than H2's 16 MB. Every usage
     * commit writes new copies of the pages it touched, and each copy stays cached until pushed
     * out: in a 16 MB cache that is long enough for the JVM to copy it from survivor space to
     * survivor space at every young collection before promoting it. At 1,000 req/s that was 5 MB
     * copied per collection, 7-11 ms pauses once a second; with 1 MB, 1.3 MB and 2-4 ms. The
     * operating system's file cache still holds the file, so a page pushed out is re-read from
     * memory. A {@code CACHE_SIZE} in the URL wins.
     */
    private static String withH2Defaults(String url) {
        if (!url.startsWith("jdbc:h2:")) return url;
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (!upper.contains("DB_CLOSE_ON_EXIT")) url += ";DB_CLOSE_ON_EXIT=FALSE";
        if (!upper.startsWith("JDBC:H2:MEM:")) {
            if (!upper.contains("WRITE_DELAY")) url += ";WRITE_DELAY=0";
            if (!upper.contains(";CACHE_SIZE=")) url += ";CACHE_SIZE=" + H2_CACHE_KB; // not QUERY_CACHE_SIZE
        }
        return url;
    }

    public DataSource dataSource() { return pool; }

    /** Whether the store answers now: readiness depends on it. */
    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() { pool.close(); }
}
