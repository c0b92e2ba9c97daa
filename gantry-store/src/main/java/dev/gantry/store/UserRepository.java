package dev.gantry.store;

import dev.gantry.identity.OrgRole;
import dev.gantry.identity.User;
import dev.gantry.identity.UserKind;
import dev.gantry.identity.UserStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Users in the database. Blocking JDBC.
 *
 * <p>{@code updated_at} moves with every change a replica's cache of users must see, including
 * changes to the user's memberships ({@link MembershipRepository}), so {@link #changedSince} is
 * all a cache refresh needs. A deleted user's row is gone, but their keys are revoked in the same
 * transaction, which the key cache sees.
 */
public final class UserRepository {
    private static final String COLUMNS = "id, email, display_name, status, role, kind, " + Jdbc.QUOTA_COLUMNS
            + ", created_at, updated_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM users";

    private final DataSource ds;

    public UserRepository(DataSource ds) { this.ds = ds; }

    /** Stores a new user; {@link ConflictException} if the id or email is taken. */
    public void insert(User user) {
        var params = new ArrayList<Object>(Arrays.asList(user.id(), user.email(), user.displayName(), user.status().dbName(),
                user.role().dbName(), user.kind().dbName()));
        params.addAll(Jdbc.quotaParams(user.quota()));
        params.addAll(List.of(user.createdAt(), user.updatedAt()));
        String sql = "INSERT INTO users (" + COLUMNS + ") VALUES (" + "?, ".repeat(params.size() - 1) + "?)";
        Jdbc.run(ds, "insert user " + user.id() + describeEmail(user), c -> Jdbc.update(c, sql, params));
    }

    /**
     * Stores the user's email, name, status, role, kind, quota and {@code updatedAt}; false if there
     * is no such user. {@link ConflictException} if the email is another user's.
     */
    public boolean update(User user) {
        var params = new ArrayList<Object>(Arrays.asList(user.email(), user.displayName(), user.status().dbName(),
                user.role().dbName(), user.kind().dbName()));
        params.addAll(Jdbc.quotaParams(user.quota()));
        params.addAll(List.of(user.updatedAt(), user.id()));
        String sql = "UPDATE users SET email = ?, display_name = ?, status = ?, role = ?, kind = ?, "
                + Jdbc.QUOTA_ASSIGNMENTS + ", updated_at = ? WHERE id = ?";
        return Jdbc.run(ds, "update user " + user.id() + describeEmail(user), c -> Jdbc.update(c, sql, params)) == 1;
    }

    /**
     * Deletes the user and their memberships, and revokes their keys at {@code at}, in one
     * transaction. False if there is no such user.
     */
    public boolean delete(String id, Instant at) {
        return Jdbc.transaction(ds, "delete user " + id, c -> {
            KeyRepository.revokeAllOf(c, id, at);
            return Jdbc.update(c, "DELETE FROM users WHERE id = ?", List.of(id)) == 1;
        });
    }

    public Optional<User> findById(String id) {
        return query(SELECT + " WHERE id = ?", List.of(id)).stream().findFirst();
    }

    /** The user with this email, compared without case. */
    public Optional<User> findByEmail(String email) {
        String normalized = User.normalizeEmail(email);
        if (normalized == null) return Optional.empty();
        return query(SELECT + " WHERE email = ?", List.of(normalized)).stream().findFirst();
    }

    /** A page of the users the filter matches, oldest first (the first owner leads). */
    public Page<User> list(UserFilter filter, PageRequest page) {
        var params = new ArrayList<Object>();
        String sql = SELECT + where(filter, params) + " ORDER BY created_at, id" + page.sql();
        return page.page(query(sql, params));
    }

    /** How many users the filter matches: e.g. whether an owner would be the last active one. */
    public long count(UserFilter filter) {
        var params = new ArrayList<Object>();
        String sql = "SELECT COUNT(*) FROM users" + where(filter, params);
        return Jdbc.run(ds, "count users", c -> Jdbc.query(c, sql, params, rs -> rs.getLong(1))).get(0);
    }

    /** Users created or changed at or after {@code since}, memberships included: what a cache refresh must look at. */
    public List<User> changedSince(Instant since) {
        return query(SELECT + " WHERE updated_at >= ?", List.of(since));
    }

    private static String where(UserFilter filter, List<Object> params) {
        var where = new ArrayList<String>();
        if (filter.search() != null && !filter.search().isBlank()) {
            where.add("(LOWER(email) LIKE ? ESCAPE '\\' OR LOWER(display_name) LIKE ? ESCAPE '\\')");
            String pattern = Jdbc.containing(filter.search().strip().toLowerCase(Locale.ROOT));
            params.add(pattern);
            params.add(pattern);
        }
        if (filter.status() != null) {
            where.add("status = ?");
            params.add(filter.status().dbName());
        }
        if (filter.role() != null) {
            where.add("role = ?");
            params.add(filter.role().dbName());
        }
        if (filter.kind() != null) {
            where.add("kind = ?");
            params.add(filter.kind().dbName());
        }
        if (filter.teamId() != null) {
            where.add("id IN (SELECT user_id FROM team_members WHERE team_id = ?)");
            params.add(filter.teamId());
        }
        return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    }

    private static String describeEmail(User user) {
        return user.email() == null ? "" : " (" + user.email() + ")";
    }

    private List<User> query(String sql, List<?> params) {
        return Jdbc.run(ds, "query users", c -> Jdbc.query(c, sql, params, UserRepository::read));
    }

    /** A value this version does not know (a newer one wrote it) reads as the one that allows least. */
    private static User read(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("email"), rs.getString("display_name"),
                UserStatus.fromName(rs.getString("status")).orElse(UserStatus.SUSPENDED),
                OrgRole.fromName(rs.getString("role")).orElse(OrgRole.VIEWER),
                UserKind.fromName(rs.getString("kind")).orElse(UserKind.SERVICE),
                Jdbc.quota(rs), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
