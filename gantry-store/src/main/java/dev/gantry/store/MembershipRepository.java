package dev.gantry.store;

import dev.gantry.identity.Membership;
import dev.gantry.identity.TeamRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Who is in which team, with what role. Blocking JDBC. Every change moves the user's
 * {@code updated_at} in the same transaction, so that replicas caching users and their
 * memberships see it through {@link UserRepository#changedSince}.
 */
public final class MembershipRepository {
    private static final String SELECT = "SELECT team_id, user_id, team_role, created_at FROM team_members";

    private final DataSource ds;

    public MembershipRepository(DataSource ds) { this.ds = ds; }

    /**
     * Puts the user in the team. {@link ConflictException} if they are already in it;
     * {@link StoreException} if the team or the user does not exist.
     */
    public void add(Membership m) {
        Jdbc.transaction(ds, "add " + m.userId() + " to team " + m.teamId(), c -> {
            Jdbc.update(c, "INSERT INTO team_members (team_id, user_id, team_role, created_at) VALUES (?, ?, ?, ?)",
                    List.of(m.teamId(), m.userId(), m.role().dbName(), m.createdAt()));
            return touchUser(c, m.userId(), m.createdAt());
        });
    }

    /** Changes the member's role; false if the user is not in the team. */
    public boolean changeRole(String teamId, String userId, TeamRole role, Instant at) {
        return Jdbc.transaction(ds, "change role of " + userId + " in team " + teamId, c -> {
            int changed = Jdbc.update(c, "UPDATE team_members SET team_role = ? WHERE team_id = ? AND user_id = ?",
                    List.of(role.dbName(), teamId, userId));
            if (changed == 1) touchUser(c, userId, at);
            return changed == 1;
        });
    }

    /**
     * Takes the user out of the team; their keys that spent for it spend for no team from then on.
     * False if the user was not in the team.
     */
    public boolean remove(String teamId, String userId, Instant at) {
        return Jdbc.transaction(ds, "remove " + userId + " from team " + teamId, c -> {
            int removed = Jdbc.update(c, "DELETE FROM team_members WHERE team_id = ? AND user_id = ?", List.of(teamId, userId));
            if (removed == 1) {
                touchUser(c, userId, at);
                KeyRepository.detachFromTeam(c, teamId, userId, at);
            }
            return removed == 1;
        });
    }

    public Optional<Membership> find(String teamId, String userId) {
        return query(SELECT + " WHERE team_id = ? AND user_id = ?", List.of(teamId, userId)).stream().findFirst();
    }

    /** A page of the team's members, in the order they joined. */
    public Page<Membership> members(String teamId, PageRequest page) {
        return page.page(query(SELECT + " WHERE team_id = ? ORDER BY created_at, user_id" + page.sql(), List.of(teamId)));
    }

    /** Every team the user is in, in the order they joined: few, and needed whole to know the user's authority. */
    public List<Membership> of(String userId) {
        return query(SELECT + " WHERE user_id = ? ORDER BY created_at, team_id", List.of(userId));
    }

    /** Moves {@code updated_at} of every member of the team, in the caller's transaction. */
    static void touchMembers(Connection c, String teamId, Instant at) throws SQLException {
        Jdbc.update(c, "UPDATE users SET updated_at = ? WHERE id IN (SELECT user_id FROM team_members WHERE team_id = ?)",
                List.of(at, teamId));
    }

    private static int touchUser(Connection c, String userId, Instant at) throws SQLException {
        return Jdbc.update(c, "UPDATE users SET updated_at = ? WHERE id = ?", List.of(at, userId));
    }

    private List<Membership> query(String sql, List<?> params) {
        return Jdbc.run(ds, "query memberships", c -> Jdbc.query(c, sql, params, MembershipRepository::read));
    }

    private static Membership read(ResultSet rs) throws SQLException {
        return new Membership(rs.getString("team_id"), rs.getString("user_id"),
                TeamRole.fromName(rs.getString("team_role")).orElse(TeamRole.MEMBER), Jdbc.instant(rs, "created_at"));
    }
}
