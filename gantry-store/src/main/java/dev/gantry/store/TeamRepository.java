package dev.gantry.store;

import dev.gantry.identity.Team;
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
 * Teams in the database. Blocking JDBC. Memberships are in {@link MembershipRepository}. A deleted
 * team's row is gone; its members' {@code updated_at} and its keys' move in the same transaction,
 * which the user and key caches see.
 */
public final class TeamRepository {
    private static final String COLUMNS = "id, name, description, " + Jdbc.QUOTA_COLUMNS + ", capture_bodies, created_at, updated_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM teams";

    private final DataSource ds;

    public TeamRepository(DataSource ds) { this.ds = ds; }

    /** Stores a new team; {@link ConflictException} if the id or name is taken. */
    public void insert(Team team) {
        var params = new ArrayList<Object>(List.of(team.id(), team.name(), team.description()));
        params.addAll(Jdbc.quotaParams(team.quota()));
        params.addAll(List.of(team.captureBodies(), team.createdAt(), team.updatedAt()));
        String sql = "INSERT INTO teams (" + COLUMNS + ") VALUES (" + "?, ".repeat(params.size() - 1) + "?)";
        Jdbc.run(ds, "insert team " + team.id() + " (" + team.name() + ")", c -> Jdbc.update(c, sql, params));
    }

    /**
     * Stores the team's name, description, quota, body capture and {@code updatedAt}; false if there is no such
     * team. {@link ConflictException} if the name is another team's.
     */
    public boolean update(Team team) {
        var params = new ArrayList<Object>(List.of(team.name(), team.description()));
        params.addAll(Jdbc.quotaParams(team.quota()));
        params.addAll(List.of(team.captureBodies(), team.updatedAt(), team.id()));
        String sql = "UPDATE teams SET name = ?, description = ?, " + Jdbc.QUOTA_ASSIGNMENTS
                + ", capture_bodies = ?, updated_at = ? WHERE id = ?";
        return Jdbc.run(ds, "update team " + team.id() + " (" + team.name() + ")", c -> Jdbc.update(c, sql, params)) == 1;
    }

    /**
     * Deletes the team and its memberships; its keys spend for no team from then on. One
     * transaction; false if there is no such team.
     */
    public boolean delete(String id, Instant at) {
        return Jdbc.transaction(ds, "delete team " + id, c -> {
            MembershipRepository.touchMembers(c, id, at);
            KeyRepository.detachFromTeam(c, id, null, at);
            return Jdbc.update(c, "DELETE FROM teams WHERE id = ?", List.of(id)) == 1;
        });
    }

    public Optional<Team> findById(String id) {
        return query(SELECT + " WHERE id = ?", List.of(id)).stream().findFirst();
    }

    public Optional<Team> findByName(String name) {
        return query(SELECT + " WHERE name = ?", List.of(name)).stream().findFirst();
    }

    /** A page of the teams the filter matches, by name. */
    public Page<Team> list(TeamFilter filter, PageRequest page) {
        var where = new ArrayList<String>();
        var params = new ArrayList<Object>();
        if (filter.search() != null && !filter.search().isBlank()) {
            where.add("(LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(description) LIKE ? ESCAPE '\\')");
            String pattern = Jdbc.containing(filter.search().strip().toLowerCase(Locale.ROOT));
            params.addAll(List.of(pattern, pattern));
        }
        if (filter.userId() != null) {
            where.add("id IN (SELECT team_id FROM team_members WHERE user_id = ?)");
            params.add(filter.userId());
        }
        String sql = SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY name, id"
                + page.sql();
        return page.page(query(sql, params));
    }

    /** Teams created or changed at or after {@code since}: what a cache refresh must look at. */
    public List<Team> changedSince(Instant since) {
        return query(SELECT + " WHERE updated_at >= ?", List.of(since));
    }

    private List<Team> query(String sql, List<?> params) {
        return Jdbc.run(ds, "query teams", c -> Jdbc.query(c, sql, params, TeamRepository::read));
    }

    private static Team read(ResultSet rs) throws SQLException {
        return new Team(rs.getString("id"), rs.getString("name"), rs.getString("description"), Jdbc.quota(rs),
                rs.getBoolean("capture_bodies"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
