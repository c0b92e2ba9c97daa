package dev.gantry.store;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Virtual keys in the database. Blocking JDBC: call it from worker threads, never an event loop. */
public final class KeyRepository {
    private static final String COLUMNS = "id, name, key_hash, display_prefix, role, models, created_at, expires_at, revoked_at";

    private final DataSource ds;

    public KeyRepository(DataSource ds) { this.ds = ds; }

    public void insert(ApiKey key) {
        String sql = "INSERT INTO api_keys (" + COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key.id());
            ps.setString(2, key.name());
            ps.setString(3, key.hash());
            ps.setString(4, key.displayPrefix());
            ps.setString(5, key.role().dbName());
            ps.setString(6, String.join("\n", key.models()));
            ps.setObject(7, Jdbc.ts(key.createdAt()));
            ps.setObject(8, Jdbc.ts(key.expiresAt()));
            ps.setObject(9, Jdbc.ts(key.revokedAt()));
            ps.setObject(10, Jdbc.ts(key.createdAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("insert key " + key.id(), e);
        }
    }

    public Optional<ApiKey> findByHash(String hash) {
        return query("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?", hash).stream().findFirst();
    }

    public Optional<ApiKey> findById(String id) {
        return query("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", id).stream().findFirst();
    }

    /** Every key, newest first. */
    public List<ApiKey> list() {
        return query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at DESC, id");
    }

    /** Keys created or changed at or after {@code since}: what a cache refresh must look at. */
    public List<ApiKey> changedSince(Instant since) {
        return query("SELECT " + COLUMNS + " FROM api_keys WHERE updated_at >= ?", Jdbc.ts(since));
    }

    /** Revokes a key; false if there is no such key or it was already revoked. */
    public boolean revoke(String id, Instant at) {
        String sql = "UPDATE api_keys SET revoked_at = ?, updated_at = ? WHERE id = ? AND revoked_at IS NULL";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, Jdbc.ts(at));
            ps.setObject(2, Jdbc.ts(at));
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("revoke key " + id, e);
        }
    }

    public boolean hasUsableKeyWithRole(Role role, Instant now) {
        return query("SELECT " + COLUMNS + " FROM api_keys WHERE role = ? AND revoked_at IS NULL", role.dbName())
                .stream().anyMatch(k -> k.isUsableAt(now));
    }

    private List<ApiKey> query(String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                var keys = new ArrayList<ApiKey>();
                while (rs.next()) keys.add(read(rs));
                return keys;
            }
        } catch (SQLException e) {
            throw new StoreException("query keys", e);
        }
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        String models = rs.getString("models");
        return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("key_hash").trim(),
                rs.getString("display_prefix"),
                Role.fromName(rs.getString("role")).orElse(Role.MEMBER),
                models.isEmpty() ? List.of() : Arrays.asList(models.split("\n")),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "revoked_at"));
    }
}
