package dev.gantry.server;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySecrets;
import dev.gantry.auth.Role;
import dev.gantry.identity.Ids;
import dev.gantry.identity.Membership;
import dev.gantry.identity.OrgRole;
import dev.gantry.identity.Quota;
import dev.gantry.identity.Team;
import dev.gantry.identity.TeamRole;
import dev.gantry.identity.User;
import dev.gantry.identity.UserKind;
import dev.gantry.identity.UserStatus;
import dev.gantry.limits.BudgetPeriod;
import dev.gantry.server.auth.KeyIds;
import dev.gantry.store.Database;
import dev.gantry.store.KeyRepository;
import dev.gantry.store.MembershipRepository;
import dev.gantry.store.Spend;
import dev.gantry.store.TeamRepository;
import dev.gantry.store.UsageRepository;
import dev.gantry.store.UserRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Users, teams and keys with budgets and limits, written straight into the fixture's database (the
 * gateway's key cache finds a new key on its first use; its directory polls users and teams every
 * half second), and the spend the database holds.
 */
final class GovernanceData implements AutoCloseable {
    record Key(String id, String secret) {}

    private final Database db;
    private final KeyRepository keys;
    private final UserRepository users;
    private final TeamRepository teams;
    private final MembershipRepository memberships;
    private final UsageRepository usage;

    GovernanceData(GatewayFixture gw) {
        db = Database.open(gw.gateway.config().database());
        keys = new KeyRepository(db.dataSource());
        users = new UserRepository(db.dataSource());
        teams = new TeamRepository(db.dataSource());
        memberships = new MembershipRepository(db.dataSource());
        usage = new UsageRepository(db.dataSource());
    }

    static Quota budgetUsd(long nanos, BudgetPeriod period) {
        return new Quota(nanos, null, period, null, null, null);
    }

    static Quota rates(Integer rpm, Integer tpm, Integer maxParallel) {
        return new Quota(null, null, BudgetPeriod.MONTH, rpm, tpm, maxParallel);
    }

    Key key(String name, Quota quota) {
        return key(name, null, null, quota);
    }

    Key key(String name, String userId, String teamId, Quota quota) {
        String secret = KeySecrets.newSecret();
        String id = KeyIds.next();
        keys.insert(new ApiKey(id, name, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), Role.MEMBER, List.of(),
                Instant.now(), null, null, userId, teamId, Map.of(), null, quota, null, null));
        return new Key(id, secret);
    }

    String user(String name) {
        Instant now = Instant.now();
        var user = new User(Ids.user(), null, name, UserStatus.ACTIVE, OrgRole.MEMBER, UserKind.SERVICE, Quota.NONE, now, now);
        users.insert(user);
        return user.id();
    }

    /** A team with {@code quota} and these users as members. */
    String team(String name, Quota quota, String... members) {
        Instant now = Instant.now();
        var team = new Team(Ids.team(), name, "", quota, now, now);
        teams.insert(team);
        for (String m : members) memberships.add(new Membership(team.id(), m, TeamRole.MEMBER, now));
        return team.id();
    }

    Spend spentByKey(String keyId) {
        return usage.spendSince(Instant.EPOCH).ofKey(keyId);
    }

    @Override
    public void close() {
        db.close();
    }
}
