package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.auth.ApiKey;
import dev.gantry.identity.Membership;
import dev.gantry.identity.OrgRole;
import dev.gantry.identity.Quota;
import dev.gantry.identity.Team;
import dev.gantry.identity.TeamRole;
import dev.gantry.identity.User;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Who is in which team: every change visible to replicas through the user's updated_at. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class MembershipRepositoryTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:34:56.123456Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    UserRepository users;
    TeamRepository teams;
    MembershipRepository memberships;

    @BeforeEach
    void create() {
        db = backend.create();
        users = new UserRepository(db.database().dataSource());
        teams = new TeamRepository(db.database().dataSource());
        memberships = new MembershipRepository(db.database().dataSource());
        IntStream.rangeClosed(1, 5).forEach(i -> users.insert(UserRepositoryTest.user("u" + i, "u" + i + "@example.org",
                OrgRole.MEMBER, T0)));
        teams.insert(new Team("red", "Red", "", Quota.NONE, T0, T0));
        teams.insert(new Team("blue", "Blue", "", Quota.NONE, T0, T0));
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    @Test
    void aUserMayBeInManyTeams() {
        var inRed = new Membership("red", "u1", TeamRole.TEAM_ADMIN, T0.plusSeconds(1));
        var inBlue = new Membership("blue", "u1", TeamRole.MEMBER, T0.plusSeconds(2));
        memberships.add(inBlue);
        memberships.add(inRed);

        assertThat(memberships.of("u1")).containsExactly(inRed, inBlue);
        assertThat(memberships.find("red", "u1")).contains(inRed);
        assertThat(memberships.find("red", "u2")).isEmpty();
        assertThat(memberships.of("u2")).isEmpty();
    }

    @Test
    void joiningTwiceIsAConflict() {
        memberships.add(new Membership("red", "u1", TeamRole.MEMBER, T0));

        assertThatThrownBy(() -> memberships.add(new Membership("red", "u1", TeamRole.TEAM_ADMIN, T0)))
                .isInstanceOf(ConflictException.class);
        assertThat(memberships.find("red", "u1").orElseThrow().role()).isEqualTo(TeamRole.MEMBER);
    }

    @Test
    void joiningAnUnknownTeamOrAsAnUnknownUserFails() {
        assertThatThrownBy(() -> memberships.add(new Membership("green", "u1", TeamRole.MEMBER, T0)))
                .isInstanceOf(StoreException.class).isNotInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> memberships.add(new Membership("red", "u9", TeamRole.MEMBER, T0)))
                .isInstanceOf(StoreException.class).isNotInstanceOf(ConflictException.class);
        assertThat(memberships.members("red", PageRequest.first(10)).items()).isEmpty();
    }

    @Test
    void membersArePagedInTheOrderTheyJoined() {
        IntStream.rangeClosed(1, 5).forEach(i ->
                memberships.add(new Membership("red", "u" + i, TeamRole.MEMBER, T0.plusSeconds(10 - i))));

        Page<Membership> first = memberships.members("red", PageRequest.first(3));
        Page<Membership> second = memberships.members("red", PageRequest.first(3).next());

        assertThat(first.items()).extracting(Membership::userId).containsExactly("u5", "u4", "u3");
        assertThat(first.hasMore()).isTrue();
        assertThat(second.items()).extracting(Membership::userId).containsExactly("u2", "u1");
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void everyChangeMovesTheUsersUpdatedAt() {
        Instant joined = T0.plusSeconds(10), promoted = T0.plusSeconds(20), left = T0.plusSeconds(30);

        memberships.add(new Membership("red", "u1", TeamRole.MEMBER, joined));
        assertThat(users.changedSince(joined)).extracting(User::id).containsExactly("u1");

        assertThat(memberships.changeRole("red", "u1", TeamRole.TEAM_ADMIN, promoted)).isTrue();
        assertThat(memberships.find("red", "u1").orElseThrow().role()).isEqualTo(TeamRole.TEAM_ADMIN);
        assertThat(users.changedSince(promoted)).extracting(User::id).containsExactly("u1");

        assertThat(memberships.remove("red", "u1", left)).isTrue();
        assertThat(memberships.of("u1")).isEmpty();
        assertThat(users.changedSince(left)).extracting(User::id).containsExactly("u1");
    }

    @Test
    void changingOrRemovingWhoIsNotInTheTeamIsFalse() {
        assertThat(memberships.changeRole("red", "u1", TeamRole.TEAM_ADMIN, T0)).isFalse();
        assertThat(memberships.remove("red", "u1", T0)).isFalse();
        assertThat(users.changedSince(T0.plusNanos(1_000))).isEmpty();
    }

    @Test
    void leavingATeamDetachesOnlyThatUsersKeysForThatTeam() {
        var keys = new KeyRepository(db.database().dataSource());
        memberships.add(new Membership("red", "u1", TeamRole.MEMBER, T0));
        memberships.add(new Membership("blue", "u1", TeamRole.MEMBER, T0));
        memberships.add(new Membership("red", "u2", TeamRole.MEMBER, T0));
        keys.insert(KeyRepositoryGovernanceTest.key("u1-red", "u1", "red", T0));
        keys.insert(KeyRepositoryGovernanceTest.key("u1-blue", "u1", "blue", T0));
        keys.insert(KeyRepositoryGovernanceTest.key("u2-red", "u2", "red", T0));
        Instant at = T0.plusSeconds(60);

        memberships.remove("red", "u1", at);

        assertThat(keys.findById("u1-red").orElseThrow().teamId()).isNull();
        assertThat(keys.findById("u1-blue").orElseThrow().teamId()).isEqualTo("blue");
        assertThat(keys.findById("u2-red").orElseThrow().teamId()).isEqualTo("red");
        assertThat(keys.changedSince(at)).extracting(ApiKey::id).containsExactly("u1-red");
    }

    @Test
    void deletingAUserEndsTheirMemberships() {
        memberships.add(new Membership("red", "u1", TeamRole.MEMBER, T0));
        memberships.add(new Membership("red", "u2", TeamRole.MEMBER, T0));

        users.delete("u1", T0.plusSeconds(1));

        assertThat(memberships.members("red", PageRequest.first(10)).items()).extracting(Membership::userId)
                .containsExactly("u2");
    }
}
