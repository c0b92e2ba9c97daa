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
import dev.gantry.limits.BudgetPeriod;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Teams stored, found, listed, changed and deleted, on each database the gateway supports. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class TeamRepositoryTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:34:56.123456Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    TeamRepository teams;

    @BeforeEach
    void create() {
        db = backend.create();
        teams = new TeamRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    static Team team(String id, String name) {
        return new Team(id, name, "", Quota.NONE, T0, T0);
    }

    @Test
    void everyFieldRoundTrips() {
        var t = new Team("team_1", "Données & ML", "Le modèle 🚀", new Quota(2_500_000_000L, null, BudgetPeriod.MONTH, 100,
                null, 8), T0, T0.plusSeconds(1));
        teams.insert(t);

        assertThat(teams.findById("team_1")).contains(t);
        assertThat(teams.findByName("Données & ML")).contains(t);
        assertThat(teams.findByName("données & ml")).isEmpty();
        assertThat(teams.findById("team_2")).isEmpty();
    }

    @Test
    void bodyCaptureIsOffByDefaultAndRoundTrips() {
        teams.insert(team("team_1", "red"));
        assertThat(teams.findById("team_1")).get().extracting(Team::captureBodies).isEqualTo(false);

        var on = new Team("team_1", "red", "", Quota.NONE, true, T0, T0.plusSeconds(1));
        assertThat(teams.update(on)).isTrue();
        assertThat(teams.findById("team_1")).contains(on);
        teams.insert(new Team("team_2", "blue", "", Quota.NONE, true, T0, T0));
        assertThat(teams.findById("team_2")).get().extracting(Team::captureBodies).isEqualTo(true);
    }

    @Test
    void aNameInUseIsAConflict() {
        teams.insert(team("t1", "red"));
        teams.insert(team("t2", "blue"));

        assertThatThrownBy(() -> teams.insert(team("t3", "red"))).isInstanceOf(ConflictException.class)
                .hasMessageContaining("red");
        assertThatThrownBy(() -> teams.update(team("t2", "red"))).isInstanceOf(ConflictException.class);
        assertThat(teams.findById("t2").orElseThrow().name()).isEqualTo("blue");
    }

    @Test
    void updatingStoresTheNewValues() {
        teams.insert(team("t1", "red"));
        Instant at = T0.plusSeconds(60);
        var changed = new Team("t1", "crimson", "renamed", new Quota(null, 1_000L, BudgetPeriod.DAY, null, 50_000, null), T0, at);

        assertThat(teams.update(changed)).isTrue();

        assertThat(teams.findById("t1")).contains(changed);
        assertThat(teams.changedSince(at)).containsExactly(changed);
        assertThat(teams.update(team("t9", "nine"))).isFalse();
    }

    @Test
    void listingFiltersBySearchAndMemberAndPagesByName() {
        teams.insert(team("t1", "red"));
        teams.insert(new Team("t2", "blue", "Infra_ops", Quota.NONE, T0, T0));
        teams.insert(team("t3", "green"));
        var users = new UserRepository(db.database().dataSource());
        users.insert(UserRepositoryTest.user("u1", "ada@example.org", OrgRole.MEMBER, T0));
        var memberships = new MembershipRepository(db.database().dataSource());
        memberships.add(new Membership("t1", "u1", TeamRole.MEMBER, T0));
        memberships.add(new Membership("t3", "u1", TeamRole.MEMBER, T0));

        assertThat(teams.list(TeamFilter.ALL, PageRequest.first(2)).items()).extracting(Team::id).containsExactly("t2", "t3");
        assertThat(teams.list(TeamFilter.ALL, PageRequest.first(2)).hasMore()).isTrue();
        assertThat(teams.list(TeamFilter.ALL, PageRequest.first(2).next()).items()).extracting(Team::id).containsExactly("t1");
        assertThat(teams.list(new TeamFilter("RE", null), PageRequest.first(10)).items()).extracting(Team::id)
                .containsExactly("t3", "t1");
        // "_" is no wildcard: "f_a" would otherwise match "fra" in "Infra_ops"
        assertThat(teams.list(new TeamFilter("f_a", null), PageRequest.first(10)).items()).isEmpty();
        assertThat(teams.list(new TeamFilter("infra_", null), PageRequest.first(10)).items()).extracting(Team::id)
                .containsExactly("t2");
        assertThat(teams.list(new TeamFilter(null, "u1"), PageRequest.first(10)).items()).extracting(Team::id)
                .containsExactly("t3", "t1");
    }

    @Test
    void deletingATeamEndsItsMembershipsAndItsKeysSpendForNoTeam() {
        var users = new UserRepository(db.database().dataSource());
        var memberships = new MembershipRepository(db.database().dataSource());
        var keys = new KeyRepository(db.database().dataSource());
        teams.insert(team("t1", "red"));
        teams.insert(team("t2", "blue"));
        IntStream.rangeClosed(1, 2).forEach(i -> users.insert(UserRepositoryTest.user("u" + i, "u" + i + "@example.org",
                OrgRole.MEMBER, T0)));
        memberships.add(new Membership("t1", "u1", TeamRole.TEAM_ADMIN, T0));
        memberships.add(new Membership("t2", "u2", TeamRole.MEMBER, T0));
        keys.insert(KeyRepositoryGovernanceTest.key("k1", "u1", "t1", T0));
        keys.insert(KeyRepositoryGovernanceTest.key("k2", "u2", "t2", T0));
        Instant at = T0.plusSeconds(3600);

        assertThat(teams.delete("t1", at)).isTrue();

        assertThat(teams.findById("t1")).isEmpty();
        assertThat(memberships.of("u1")).isEmpty();
        assertThat(keys.findById("k1").orElseThrow().teamId()).isNull();
        assertThat(keys.findById("k2").orElseThrow().teamId()).isEqualTo("t2");
        assertThat(keys.changedSince(at)).extracting(ApiKey::id).containsExactly("k1");
        assertThat(users.changedSince(at)).extracting(User::id).containsExactly("u1");
        assertThat(teams.delete("t1", at)).isFalse();
    }
}
