package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.store.ConsoleSessionRepository.Session;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Console log-ins: found while live, gone after log-out or expiry. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class ConsoleSessionRepositoryTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final String HASH = "a".repeat(64);

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    ConsoleSessionRepository sessions;

    @BeforeEach
    void create() {
        db = backend.create();
        sessions = new ConsoleSessionRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    @Test
    void aSessionIsFoundUntilItExpires() {
        sessions.insert(new Session(HASH, "key_1", T0, T0.plusSeconds(3600)));

        assertThat(sessions.findLive(HASH, T0.plusSeconds(10))).get().extracting(Session::keyId).isEqualTo("key_1");
        assertThat(sessions.findLive(HASH, T0.plusSeconds(3600))).isEmpty();
        assertThat(sessions.findLive("b".repeat(64), T0)).isEmpty();
    }

    @Test
    void logOutAndExpirySweepForgetSessions() {
        sessions.insert(new Session(HASH, "key_1", T0, T0.plusSeconds(60)));
        sessions.insert(new Session("c".repeat(64), "key_2", T0, T0.plusSeconds(7200)));

        sessions.delete(HASH);
        assertThat(sessions.findLive(HASH, T0)).isEmpty();
        assertThat(sessions.deleteExpired(T0.plusSeconds(7200))).isEqualTo(1);
        assertThat(db.column("SELECT token_hash FROM console_sessions")).isEmpty();
    }
}
