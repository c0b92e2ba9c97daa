package dev.gantry.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Console log-ins, by the hash of the browser's token. Blocking JDBC. */
public final class ConsoleSessionRepository {
    /** A stored log-in: the key it acts as, until when. */
    public record Session(String tokenHash, String keyId, Instant createdAt, Instant expiresAt) {}

    private final DataSource ds;

    public ConsoleSessionRepository(DataSource ds) { this.ds = ds; }

    public void insert(Session s) {
        Jdbc.run(ds, "store console session", c -> Jdbc.update(c,
                "INSERT INTO console_sessions (token_hash, key_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                List.of(s.tokenHash(), s.keyId(), s.createdAt(), s.expiresAt())));
    }

    /** The session, if it exists and has not expired at {@code now}. */
    public Optional<Session> findLive(String tokenHash, Instant now) {
        return Jdbc.run(ds, "find console session", c -> Jdbc.query(c,
                "SELECT token_hash, key_id, created_at, expires_at FROM console_sessions WHERE token_hash = ? AND expires_at > ?",
                List.of(tokenHash, now), ConsoleSessionRepository::read)).stream().findFirst();
    }

    public void delete(String tokenHash) {
        Jdbc.run(ds, "end console session", c -> Jdbc.update(c, "DELETE FROM console_sessions WHERE token_hash = ?",
                List.of(tokenHash)));
    }

    /** Forgets sessions that expired before {@code now}; returns how many. */
    public int deleteExpired(Instant now) {
        return Jdbc.run(ds, "forget expired console sessions", c -> Jdbc.update(c,
                "DELETE FROM console_sessions WHERE expires_at <= ?", List.of(now)));
    }

    private static Session read(ResultSet rs) throws SQLException {
        return new Session(rs.getString("token_hash"), rs.getString("key_id"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "expires_at"));
    }
}
