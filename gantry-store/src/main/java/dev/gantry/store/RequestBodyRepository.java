package dev.gantry.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The captured prompt and completion of requests whose team turned capture on, by request id.
 * Blocking JDBC. Each body holds at most {@link #MAX_CHARS} characters, the column's size.
 */
public final class RequestBodyRepository {
    /** The columns' size: H2's longest VARCHAR. */
    public static final int MAX_CHARS = 1_000_000;

    /** What the client sent and what the gateway answered it, as text; truncated if either was cut. */
    public record Bodies(String requestId, Instant createdAt, String requestBody, String responseBody,
            boolean truncated) {}

    private final DataSource ds;

    public RequestBodyRepository(DataSource ds) { this.ds = ds; }

    public void insert(Bodies b) {
        Jdbc.run(ds, "store bodies of request " + b.requestId(), c -> Jdbc.update(c,
                "INSERT INTO request_bodies (request_id, created_at, request_body, response_body, truncated)"
                        + " VALUES (?, ?, ?, ?, ?)",
                List.of(b.requestId(), b.createdAt(), b.requestBody(), b.responseBody(), b.truncated())));
    }

    public Optional<Bodies> findByRequestId(String requestId) {
        return Jdbc.run(ds, "find bodies of request " + requestId, c -> Jdbc.query(c,
                "SELECT request_id, created_at, request_body, response_body, truncated FROM request_bodies"
                        + " WHERE request_id = ?",
                List.of(requestId), RequestBodyRepository::read)).stream().findFirst();
    }

    /**
     * Deletes the oldest bodies captured before {@code cutoff}, at most {@code limit} of them (one
     * transaction of bounded size: months of bodies may be due at once); returns how many.
     */
    public int deleteCapturedBefore(Instant cutoff, int limit) {
        return Jdbc.run(ds, "delete bodies captured before " + cutoff, c -> Jdbc.update(c,
                "DELETE FROM request_bodies WHERE request_id IN (SELECT request_id FROM request_bodies"
                        + " WHERE created_at < ? ORDER BY created_at LIMIT ?)", List.of(cutoff, limit)));
    }

    private static Bodies read(ResultSet rs) throws SQLException {
        return new Bodies(rs.getString("request_id"), Jdbc.instant(rs, "created_at"), rs.getString("request_body"),
                rs.getString("response_body"), rs.getBoolean("truncated"));
    }
}
