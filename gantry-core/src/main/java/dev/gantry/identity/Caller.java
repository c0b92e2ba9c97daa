package dev.gantry.identity;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the admin API, and every authority question asked of them: the one place the
 * table of roles in docs/governance.md is turned into code.
 *
 * @param keyId  the key the call came with
 * @param userId the key's user, or null for a key made before users existed
 * @param name   how the audit log names the caller (email, display name or key name)
 * @param role   the user's role, or for a key without a user the key's own
 * @param teams  the user's memberships, by team id
 */
public record Caller(String keyId, String userId, String name, OrgRole role, Map<String, TeamRole> teams) {
    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(role, "role");
        teams = Map.copyOf(teams);
    }

    /** Owners and admins change anything (owners excepted, see {@link #mayAssign}). */
    public boolean isAdmin() { return role == OrgRole.OWNER || role == OrgRole.ADMIN; }

    /** Owners, admins and viewers read everything but secrets. */
    public boolean readsAll() { return isAdmin() || role == OrgRole.VIEWER; }

    public boolean isSelf(String otherUserId) { return userId != null && userId.equals(otherUserId); }

    public boolean administersTeam(String teamId) {
        return isAdmin() || (teamId != null && teams.get(teamId) == TeamRole.TEAM_ADMIN);
    }

    /** Team admin of at least one team (or admin of all). */
    public boolean administersSomeTeam() { return isAdmin() || teams.containsValue(TeamRole.TEAM_ADMIN); }

    public boolean readsTeam(String teamId) { return readsAll() || (teamId != null && teams.containsKey(teamId)); }

    /** A team admin of any of the user's teams administers the user's keys and limits. */
    public boolean administersMemberOf(Set<String> userTeams) {
        if (isAdmin()) return true;
        for (String team : userTeams) if (teams.get(team) == TeamRole.TEAM_ADMIN) return true;
        return false;
    }

    public boolean readsUser(String otherUserId, Set<String> userTeams) {
        return readsAll() || isSelf(otherUserId) || administersMemberOf(userTeams);
    }

    /** Keys: the user themselves, a team admin of one of their teams, or an admin. */
    public boolean managesKeysOf(String ownerUserId, Set<String> ownerTeams) {
        return isSelf(ownerUserId) || administersMemberOf(ownerTeams);
    }

    public boolean readsKeysOf(String ownerUserId, Set<String> ownerTeams) {
        return readsAll() || managesKeysOf(ownerUserId, ownerTeams);
    }

    /** Only an owner makes, changes or removes an owner; admins manage everyone else. */
    public boolean mayAssign(OrgRole current, OrgRole wanted) {
        if (role == OrgRole.OWNER) return true;
        return role == OrgRole.ADMIN && current != OrgRole.OWNER && wanted != OrgRole.OWNER;
    }
}
