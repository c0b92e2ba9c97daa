package dev.gantry.store;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySettings;
import dev.gantry.auth.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Virtual keys in the database. Blocking JDBC: call it from worker threads, never an event loop.
 *
 * <p>Every change a replica's key cache must see moves {@code updated_at} ({@link #changedSince});
 * {@link #touchLastUsed} does not, so that traffic does not make every poll reload every key.
 */
public final class KeyRepository {
    private static final String COLUMNS = "id, name, key_hash, display_prefix, role, models, created_at, expires_at, "
            + "revoked_at, user_id, team_id, metadata, last_used_at, " + Jdbc.QUOTA_COLUMNS + ", previous_hash, "
            + "previous_valid_until";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM api_keys";

    private final DataSource ds;

    public KeyRepository(DataSource ds) { this.ds = ds; }

    /** Stores a new key; {@link ConflictException} if its id or hash is taken. */
    public void insert(ApiKey key) {
        var params = new ArrayList<Object>(List.of(key.id(), key.name(), key.hash(), key.displayPrefix(), key.role().dbName(),
                String.join("\n", key.models())));
        params.addAll(Arrays.asList(key.createdAt(), key.expiresAt(), key.revokedAt(), key.userId(), key.teamId(),
                TagsJson.write(key.metadata()), key.lastUsedAt()));
        params.addAll(Jdbc.quotaParams(key.quota()));
        params.addAll(Arrays.asList(key.previousHash(), key.previousValidUntil(), key.createdAt()));
        String sql = "INSERT INTO api_keys (" + COLUMNS + ", updated_at) VALUES (" + "?, ".repeat(params.size() - 1) + "?)";
        Jdbc.run(ds, "insert key " + key.id(), c -> Jdbc.update(c, sql, params));
    }

    /** The key whose current secret has this hash. */
    public Optional<ApiKey> findByHash(String hash) {
        return query(SELECT + " WHERE key_hash = ?", hash).stream().findFirst();
    }

    /**
     * The key a secret with this hash opens at {@code now}: by its current secret, or by the one a
     * rotation replaced while its grace lasts ({@link ApiKey#matchesHash}). Expiry and revocation
     * are the caller's to check.
     */
    public Optional<ApiKey> findByAcceptedHash(String hash, Instant now) {
        return query(SELECT + " WHERE key_hash = ? OR previous_hash = ?", hash, hash).stream()
                .filter(k -> k.matchesHash(hash, now)).findFirst();
    }

    public Optional<ApiKey> findById(String id) {
        return query(SELECT + " WHERE id = ?", id).stream().findFirst();
    }

    /** Every key, newest first. */
    public List<ApiKey> list() {
        return query(SELECT + " ORDER BY created_at DESC, id");
    }

    /** A page of the keys the filter matches, newest first. */
    public Page<ApiKey> list(KeyFilter filter, PageRequest page) {
        var where = new ArrayList<String>();
        var params = new ArrayList<Object>();
        if (filter.userId() != null) {
            where.add("user_id = ?");
            params.add(filter.userId());
        }
        if (filter.teamId() != null) {
            where.add("team_id = ?");
            params.add(filter.teamId());
        }
        String sql = SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY created_at DESC, id" + page.sql();
        return page.page(query(sql, params.toArray()));
    }

    /** Keys created or changed at or after {@code since}: what a cache refresh must look at. */
    public List<ApiKey> changedSince(Instant since) {
        return query(SELECT + " WHERE updated_at >= ?", since);
    }

    /** Replaces the key's settings; false if there is no such key. */
    public boolean update(String id, KeySettings settings, Instant at) {
        var params = new ArrayList<Object>(Arrays.asList(settings.name(), String.join("\n", settings.models()),
                settings.expiresAt(), settings.teamId(), TagsJson.write(settings.metadata())));
        params.addAll(Jdbc.quotaParams(settings.quota()));
        params.addAll(List.of(at, id));
        String sql = "UPDATE api_keys SET name = ?, models = ?, expires_at = ?, team_id = ?, metadata = ?, "
                + Jdbc.QUOTA_ASSIGNMENTS + ", updated_at = ? WHERE id = ?";
        return Jdbc.run(ds, "update key " + id, c -> Jdbc.update(c, sql, params)) == 1;
    }

    /**
     * Gives the key a new secret. The old one keeps working until {@code graceUntil} (null: not at
     * all); a secret two rotations old stops at once, grace or not. False if there is no such key
     * or it is revoked. {@link ConflictException} if the new hash is taken.
     */
    public boolean rotate(String id, String newHash, String newDisplayPrefix, Instant graceUntil, Instant at) {
        String sql = "UPDATE api_keys SET previous_hash = " + (graceUntil == null ? "NULL" : "key_hash")
                + ", previous_valid_until = ?, key_hash = ?, display_prefix = ?, updated_at = ?"
                + " WHERE id = ? AND revoked_at IS NULL";
        return Jdbc.run(ds, "rotate key " + id,
                c -> Jdbc.update(c, sql, Arrays.asList(graceUntil, newHash, newDisplayPrefix, at, id))) == 1;
    }

    /** Revokes a key; false if there is no such key or it was already revoked. */
    public boolean revoke(String id, Instant at) {
        String sql = "UPDATE api_keys SET revoked_at = ?, updated_at = ? WHERE id = ? AND revoked_at IS NULL";
        return Jdbc.run(ds, "revoke key " + id, c -> Jdbc.update(c, sql, List.of(at, at, id))) == 1;
    }

    /**
     * Records that these keys were used at {@code at}, in one batch; a later time already stored
     * stays (replicas flush out of order).
     */
    public void touchLastUsed(Collection<String> ids, Instant at) {
        if (ids.isEmpty()) return;
        String sql = "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)";
        Jdbc.transaction(ds, "touch " + ids.size() + " keys", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (String id : ids) {
                    Jdbc.bind(ps, List.of(at, id, at));
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    public boolean hasUsableKeyWithRole(Role role, Instant now) {
        return query(SELECT + " WHERE role = ? AND revoked_at IS NULL", role.dbName())
                .stream().anyMatch(k -> k.isUsableAt(now));
    }

    private List<ApiKey> query(String sql, Object... params) {
        return Jdbc.run(ds, "query keys", c -> Jdbc.query(c, sql, Arrays.asList(params), KeyRepository::read));
    }

    /** Revokes every key of a user not revoked yet, in the caller's transaction. */
    static void revokeAllOf(Connection c, String userId, Instant at) throws SQLException {
        Jdbc.update(c, "UPDATE api_keys SET revoked_at = ?, updated_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                List.of(at, at, userId));
    }

    /**
     * Makes the keys that spend for a team spend for none, in the caller's transaction: for when
     * the team goes, or their user leaves it (a key may only spend for one of its user's teams).
     */
    static void detachFromTeam(Connection c, String teamId, String userIdOrNull, Instant at) throws SQLException {
        if (userIdOrNull == null) {
            Jdbc.update(c, "UPDATE api_keys SET team_id = NULL, updated_at = ? WHERE team_id = ?", List.of(at, teamId));
        } else {
            Jdbc.update(c, "UPDATE api_keys SET team_id = NULL, updated_at = ? WHERE team_id = ? AND user_id = ?",
                    List.of(at, teamId, userIdOrNull));
        }
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        String models = rs.getString("models");
        return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("key_hash").trim(),
                rs.getString("display_prefix"),
                Role.fromName(rs.getString("role")).orElse(Role.MEMBER),
                models.isEmpty() ? List.of() : Arrays.asList(models.split("\n")),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "revoked_at"),
                rs.getString("user_id"), rs.getString("team_id"), TagsJson.read(rs.getString("metadata")),
                Jdbc.instant(rs, "last_used_at"), Jdbc.quota(rs), rs.getString("previous_hash"),
                Jdbc.instant(rs, "previous_valid_until"));
    }
}
