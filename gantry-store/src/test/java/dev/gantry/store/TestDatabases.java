package dev.gantry.store;

import dev.gantry.config.GatewayConfig.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases repository tests run on: H2 always, PostgreSQL when {@code GANTRY_TEST_PG_URL}
 * names a server (e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); without it
 * the PostgreSQL runs are reported as skipped. Each {@link #create()} gives a fresh, migrated
 * database no other test sees: a uniquely named in-memory H2 database, or a uniquely named
 * PostgreSQL schema selected with {@code currentSchema} and dropped on close.
 */
enum TestDatabases {
    H2, POSTGRES;

    static final String PG_URL = System.getenv("GANTRY_TEST_PG_URL");
    /** Small pools: the PostgreSQL server is shared with other test suites. */
    private static final int POOL_SIZE = 2;

    Fresh create() {
        return create(settings -> {});
    }

    /**
     * A fresh database on which {@code beforeOpen} acts before the gateway first opens (and
     * migrates) it: to set up data as an older version left it.
     */
    Fresh create(Consumer<DatabaseSettings> beforeOpen) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (this == H2) {
            // the setting Database.open would add, so that every connection opens the same URL
            var settings = new DatabaseSettings("jdbc:h2:mem:gantry_test_" + id + ";DB_CLOSE_ON_EXIT=FALSE", null, null,
                    POOL_SIZE);
            // an in-memory database lives while a connection to it is open: this one spans beforeOpen and the pool's start
            try (Connection keeper = DriverManager.getConnection(settings.url())) {
                beforeOpen.accept(settings);
                return new Fresh(this, settings, "PUBLIC", Database.open(settings));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        Assumptions.assumeTrue(PG_URL != null && !PG_URL.isBlank(), "GANTRY_TEST_PG_URL is not set");
        String schema = "gantry_test_" + id;
        pgExecute("CREATE SCHEMA " + schema);
        var settings = new DatabaseSettings(PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                null, null, POOL_SIZE);
        try {
            beforeOpen.accept(settings);
            return new Fresh(this, settings, schema, Database.open(settings));
        } catch (RuntimeException e) {
            pgExecute("DROP SCHEMA " + schema + " CASCADE");
            throw e;
        }
    }

    private static void pgExecute(String sql) {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * One test's database.
     *
     * @param schema where its tables are: {@code PUBLIC} on H2, the test's own schema on PostgreSQL
     */
    record Fresh(TestDatabases kind, DatabaseSettings settings, String schema, Database database) implements AutoCloseable {

        /** Another {@link Database} on the same data, as a second replica or a restart would open. */
        Database openAgain() { return Database.open(settings); }

        /** The first column of every row of a query, as strings: for checks below the repositories. */
        List<String> column(String sql, Object... params) {
            try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    var values = new ArrayList<String>();
                    while (rs.next()) values.add(rs.getString(1));
                    return values;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        /** Runs one statement below the repositories, e.g. to set up what an older version left. */
        void execute(String sql) {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            database.close();
            if (kind == POSTGRES) pgExecute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
