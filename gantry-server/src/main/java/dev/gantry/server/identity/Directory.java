package dev.gantry.server.identity;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.Role;
import dev.gantry.identity.Caller;
import dev.gantry.identity.Membership;
import dev.gantry.identity.OrgRole;
import dev.gantry.identity.OrgSettings;
import dev.gantry.identity.Team;
import dev.gantry.identity.TeamRole;
import dev.gantry.identity.User;
import dev.gantry.store.MembershipRepository;
import dev.gantry.store.OrgSettingsRepository;
import dev.gantry.store.PageRequest;
import dev.gantry.store.TeamFilter;
import dev.gantry.store.TeamRepository;
import dev.gantry.store.UserFilter;
import dev.gantry.store.UserRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, teams, memberships and the organisation's limits, in memory, for the request path
 * (whose budgets and limits apply) and for authority checks. Kept fresh like the key cache: loaded
 * whole at start, then polled for rows changed since the last poll (a membership change moves
 * its user's {@code updated_at}, so a changed user brings their memberships along); this node's
 * own changes are applied at once with the {@code put} methods.
 */
public final class Directory {
    private static final Logger log = LoggerFactory.getLogger(Directory.class);
    private static final Duration POLL_OVERLAP = Duration.ofSeconds(5);
    private static final int LOAD_PAGE = 1000;
    private static final int FULL_TEAM_RELOAD_EVERY = 60;

    private final UserRepository users;
    private final TeamRepository teams;
    private final MembershipRepository memberships;
    private final OrgSettingsRepository org;
    private final Clock clock;
    private final Map<String, User> usersById = new ConcurrentHashMap<>();
    private final Map<String, Team> teamsById = new ConcurrentHashMap<>();
    private final Map<String, Map<String, TeamRole>> teamsOfUser = new ConcurrentHashMap<>();
    private volatile OrgSettings orgSettings;
    private volatile Instant lastPoll;
    private int polls;

    public Directory(UserRepository users, TeamRepository teams, MembershipRepository memberships, OrgSettingsRepository org,
                     Clock clock) {
        this.users = users;
        this.teams = teams;
        this.memberships = memberships;
        this.org = org;
        this.clock = clock;
    }

    /** Loads everything. Blocking. */
    public void loadAll() {
        lastPoll = clock.instant();
        for (var page = PageRequest.first(LOAD_PAGE); ; page = page.next()) {
            var found = users.list(UserFilter.ALL, page);
            found.items().forEach(this::putUserWithMemberships);
            if (!found.hasMore()) break;
        }
        loadTeams();
        orgSettings = org.get();
    }

    /** Reads every team into the map; returns their ids. */
    private Set<String> loadTeams() {
        var ids = new HashSet<String>();
        for (var page = PageRequest.first(LOAD_PAGE); ; page = page.next()) {
            var found = teams.list(TeamFilter.ALL, page);
            for (Team t : found.items()) {
                put(t);
                ids.add(t.id());
            }
            if (!found.hasMore()) return ids;
        }
    }

    /** Picks up what changed since the last poll. Blocking; on a worker thread. */
    public void refresh() {
        Instant now = clock.instant();
        try {
            Instant since = lastPoll.minus(POLL_OVERLAP);
            users.changedSince(since).forEach(this::putUserWithMemberships);
            teams.changedSince(since).forEach(this::put);
            // a team deleted on another replica leaves no row to poll: every so often, reload them all
            if (++polls % FULL_TEAM_RELOAD_EVERY == 0) teamsById.keySet().retainAll(loadTeams());
            orgSettings = org.get();
            lastPoll = now;
        } catch (RuntimeException e) {
            log.warn("directory refresh failed, serving what is known: {}", e.getMessage());
        }
    }

    public Optional<User> user(String id) { return id == null ? Optional.empty() : Optional.ofNullable(usersById.get(id)); }

    public Optional<Team> team(String id) { return id == null ? Optional.empty() : Optional.ofNullable(teamsById.get(id)); }

    /** Whether the team keeps its requests' bodies; false for no team. No allocation: the data plane asks per request. */
    public boolean capturesBodies(String teamId) {
        if (teamId == null) return false;
        Team team = teamsById.get(teamId);
        return team != null && team.captureBodies();
    }

    public OrgSettings org() { return orgSettings; }

    /** The user's teams and roles in them; empty for no user. */
    public Map<String, TeamRole> teamsOf(String userId) {
        return userId == null ? Map.of() : teamsOfUser.getOrDefault(userId, Map.of());
    }

    /** Who a key speaks for on the admin API; empty if its user is gone or suspended. */
    public Optional<Caller> callerFor(ApiKey key) {
        if (key.userId() == null) {
            return Optional.of(new Caller(key.id(), null, key.name(), legacyRole(key.role()), Map.of()));
        }
        return user(key.userId()).filter(User::isActive).map(u -> new Caller(key.id(), u.id(),
                u.email() != null ? u.email() : u.displayName(), u.role(), teamsOf(u.id())));
    }

    /** Whether a key may be used now as far as its user goes: a key of a deleted or suspended user may not. */
    public boolean userAllows(ApiKey key) {
        return key.userId() == null || user(key.userId()).map(User::isActive).orElse(false);
    }

    public void put(Team team) { teamsById.put(team.id(), team); }

    public void removeTeam(String id) {
        teamsById.remove(id);
        teamsOfUser.replaceAll((user, roles) -> {
            if (!roles.containsKey(id)) return roles;
            var copy = new HashMap<>(roles);
            copy.remove(id);
            return Map.copyOf(copy);
        });
    }

    public void putOrg(OrgSettings settings) { orgSettings = settings; }

    /** Stores the user and reads their memberships again. Blocking. */
    public void putUserWithMemberships(User user) {
        usersById.put(user.id(), user);
        var roles = new HashMap<String, TeamRole>();
        for (Membership m : memberships.of(user.id())) roles.put(m.teamId(), m.role());
        teamsOfUser.put(user.id(), Map.copyOf(roles));
    }

    public void removeUser(String id) {
        usersById.remove(id);
        teamsOfUser.remove(id);
    }

    private static OrgRole legacyRole(Role role) {
        return switch (role) {
            case OWNER -> OrgRole.OWNER;
            case ADMIN -> OrgRole.ADMIN;
            case MEMBER -> OrgRole.MEMBER;
        };
    }
}
