package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.GatewayConfig.DatabaseSettings;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings Gantry gives an embedded H2 file database unless its URL says otherwise. */
class H2DefaultsTest {
    @TempDir
    Path dir;

    String setting(String url, String name) throws SQLException {
        try (var db = Database.open(new DatabaseSettings(url, null, null, 2));
             var c = db.dataSource().getConnection();
             var s = c.prepareStatement("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            s.setString(1, name);
            try (var rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void aFileDatabaseGetsASmallPageCacheAndWritesEachCommitAtOnce() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("gantry");
        assertThat(setting(url, "CACHE_SIZE")).isEqualTo(Integer.toString(Database.H2_CACHE_KB));
        assertThat(setting(url, "WRITE_DELAY")).isEqualTo("0");
    }

    @Test
    void settingsInTheUrlWin() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("gantry") + ";CACHE_SIZE=8192";
        assertThat(setting(url, "CACHE_SIZE")).isEqualTo("8192");
    }

    @Test
    void anotherSettingNamedLikeItLeavesThePageCacheToGantry() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("gantry") + ";QUERY_CACHE_SIZE=16";
        assertThat(setting(url, "CACHE_SIZE")).isEqualTo(Integer.toString(Database.H2_CACHE_KB));
        assertThat(setting(url, "QUERY_CACHE_SIZE")).isEqualTo("16");
    }
}
