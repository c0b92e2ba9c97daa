package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.Role;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Opening the store migrates its schema, once, wherever the connection URL points. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class DatabaseTest {
    static final String MIGRATIONS = "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL"
            + " ORDER BY \"installed_rank\"";

    /** Every row of Flyway's history, whole: a second migration would add or change one. */
    static final String HISTORY = "SELECT CONCAT(\"installed_rank\", '|', \"version\", '|', \"script\", '|', \"checksum\","
            + " '|', \"installed_on\") FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"";

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;

    @BeforeEach
    void create() { db = backend.create(); }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    List<String> tablesInTheSchema() {
        return db.column("SELECT LOWER(table_name) FROM information_schema.tables WHERE table_schema = ?", db.schema());
    }

    @Test
    void openingMigratesToTheLatestVersion() {
        assertThat(db.column(MIGRATIONS)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(db.column("SELECT COUNT(served_model) FROM usage_records")).containsExactly("0");
        assertThat(db.column("SELECT budget_period FROM org_settings")).containsExactly("month");
        assertThat(db.column("SELECT seq FROM audit_head")).containsExactly("0");
    }

    @Test
    void theTablesAreCreatedInTheSchemaTheUrlNames() {
        assertThat(tablesInTheSchema()).contains("api_keys", "usage_records", "users", "teams", "team_members",
                "org_settings", "audit_log", "audit_head", "provider_secrets", "console_sessions", "request_bodies",
                "flyway_schema_history");
        assertThat(db.column("SELECT LOWER(CURRENT_SCHEMA)")).containsExactly(db.schema().toLowerCase());
    }

    @Test
    void theDatabaseIsReachableUntilClosed() {
        Database other = db.openAgain();
        assertThat(other.isReachable()).isTrue();

        other.close();

        assertThat(other.isReachable()).isFalse();
        assertThat(db.database().isReachable()).isTrue();
    }

    @Test
    void openingAgainChangesNothing() {
        var key = new ApiKey("k1", "first", "a".repeat(64), "sk-gantry-aaaaaa...", Role.OWNER, List.of(),
                Instant.parse("2025-06-01T00:00:00Z"), null, null);
        new KeyRepository(db.database().dataSource()).insert(key);
        List<String> history = db.column(HISTORY);

        try (Database again = db.openAgain()) {
            assertThat(new KeyRepository(again.dataSource()).findById("k1")).contains(key);
        }

        assertThat(db.column(HISTORY)).isEqualTo(history);
        assertThat(db.column(MIGRATIONS)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
    }
}
