package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySecrets;
import dev.gantry.auth.Role;
import dev.gantry.identity.Membership;
import dev.gantry.identity.OrgRole;
import dev.gantry.identity.Quota;
import dev.gantry.identity.Team;
import dev.gantry.identity.TeamRole;
import dev.gantry.identity.User;
import dev.gantry.identity.UserKind;
import dev.gantry.identity.UserStatus;
import dev.gantry.limits.BudgetPeriod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Users stored, found, listed, changed and deleted, on each database the gateway supports. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class UserRepositoryTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:34:56.123456Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    UserRepository users;

    @BeforeEach
    void create() {
        db = backend.create();
        users = new UserRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    static User user(String id, String email, OrgRole role, Instant createdAt) {
        return new User(id, email, "Name of " + id, UserStatus.ACTIVE, role, UserKind.HUMAN, Quota.NONE, createdAt, createdAt);
    }

    @Test
    void everyFieldRoundTrips() {
        var u = new User("usr_1", "Ada@Example.org", "Ada Lovelace — ✓", UserStatus.SUSPENDED, OrgRole.ADMIN, UserKind.HUMAN,
                new Quota(1_000_000_000L, 5_000L, BudgetPeriod.DAY, 10, 20_000, 2), T0, T0.plusSeconds(1));
        users.insert(u);

        assertThat(users.findById("usr_1")).contains(u);
        assertThat(users.findByEmail("  ADA@example.ORG")).contains(u);
        assertThat(users.findById("usr_2")).isEmpty();
        assertThat(users.findByEmail("bob@example.org")).isEmpty();
    }

    @Test
    void serviceAccountsMayHaveNoEmail() {
        var a = new User("svc_a", null, "CI", UserStatus.ACTIVE, OrgRole.MEMBER, UserKind.SERVICE, Quota.NONE, T0, T0);
        var b = new User("svc_b", null, "Batch", UserStatus.ACTIVE, OrgRole.MEMBER, UserKind.SERVICE, Quota.NONE, T0, T0);
        users.insert(a);
        users.insert(b);

        assertThat(users.findById("svc_b")).contains(b);
        assertThat(users.findByEmail("")).isEmpty();
    }

    @Test
    void anEmailInUseIsAConflictWhateverItsCase() {
        users.insert(user("usr_1", "ada@example.org", OrgRole.MEMBER, T0));

        assertThatThrownBy(() -> users.insert(user("usr_2", "ADA@example.org", OrgRole.MEMBER, T0)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ada@example.org");
        users.insert(user("usr_3", "bob@example.org", OrgRole.MEMBER, T0));
        User bobAsAda = new User("usr_3", "ada@example.org", "Bob", UserStatus.ACTIVE, OrgRole.MEMBER, UserKind.HUMAN,
                Quota.NONE, T0, T0);
        assertThatThrownBy(() -> users.update(bobAsAda)).isInstanceOf(ConflictException.class);
        assertThat(users.findById("usr_3").orElseThrow().email()).isEqualTo("bob@example.org");
    }

    @Test
    void anIdInUseIsAConflict() {
        users.insert(user("usr_1", "ada@example.org", OrgRole.MEMBER, T0));

        assertThatThrownBy(() -> users.insert(user("usr_1", "bob@example.org", OrgRole.MEMBER, T0)))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void updatingStoresTheNewValuesAndMovesUpdatedAt() {
        users.insert(user("usr_1", "ada@example.org", OrgRole.MEMBER, T0));
        Instant at = T0.plusSeconds(3600);
        var changed = new User("usr_1", "ada@new.example", "Ada L.", UserStatus.SUSPENDED, OrgRole.VIEWER, UserKind.HUMAN,
                new Quota(null, 10L, BudgetPeriod.TOTAL, null, null, 1), T0, at);

        assertThat(users.update(changed)).isTrue();

        assertThat(users.findById("usr_1")).contains(changed);
        assertThat(users.changedSince(at)).containsExactly(changed);
        assertThat(users.update(user("usr_9", "x@example.org", OrgRole.MEMBER, T0))).isFalse();
    }

    @Test
    void listingFiltersBySearchStatusRoleKindAndTeam() {
        users.insert(user("u1", "ada@example.org", OrgRole.OWNER, T0));
        users.insert(user("u2", "bob@example.org", OrgRole.ADMIN, T0.plusSeconds(1)));
        users.insert(new User("u3", "carol_100%@corp.example", "Carol", UserStatus.SUSPENDED, OrgRole.MEMBER, UserKind.HUMAN,
                Quota.NONE, T0.plusSeconds(2), T0));
        users.insert(new User("u4", null, "Ada's CI", UserStatus.ACTIVE, OrgRole.MEMBER, UserKind.SERVICE, Quota.NONE,
                T0.plusSeconds(3), T0));
        var teams = new TeamRepository(db.database().dataSource());
        teams.insert(new Team("t1", "red", "", Quota.NONE, T0, T0));
        new MembershipRepository(db.database().dataSource()).add(new Membership("t1", "u2", TeamRole.MEMBER, T0));
        var all = PageRequest.first(10);

        assertThat(users.list(UserFilter.ALL, all).items()).extracting(User::id).containsExactly("u1", "u2", "u3", "u4");
        assertThat(users.list(new UserFilter("ADA", null, null, null, null), all).items()).extracting(User::id)
                .containsExactly("u1", "u4");
        assertThat(users.list(new UserFilter("_100%", null, null, null, null), all).items()).extracting(User::id)
                .containsExactly("u3");
        assertThat(users.list(new UserFilter("0%", null, null, null, null), all).items()).extracting(User::id)
                .containsExactly("u3");
        assertThat(users.list(new UserFilter("a_a", null, null, null, null), all).items()).isEmpty();
        assertThat(users.list(UserFilter.ALL.withStatus(UserStatus.SUSPENDED), all).items()).extracting(User::id)
                .containsExactly("u3");
        assertThat(users.list(UserFilter.ALL.withRole(OrgRole.MEMBER), all).items()).extracting(User::id)
                .containsExactly("u3", "u4");
        assertThat(users.list(new UserFilter(null, null, null, UserKind.SERVICE, null), all).items()).extracting(User::id)
                .containsExactly("u4");
        assertThat(users.list(new UserFilter(null, null, null, null, "t1"), all).items()).extracting(User::id)
                .containsExactly("u2");
    }

    @Test
    void listingPagesThroughEveryUserOnce() {
        IntStream.range(0, 5).forEach(i -> users.insert(user("u" + i, "u" + i + "@example.org", OrgRole.MEMBER, T0)));

        Page<User> first = users.list(UserFilter.ALL, PageRequest.first(2));
        Page<User> second = users.list(UserFilter.ALL, PageRequest.first(2).next());
        Page<User> last = users.list(UserFilter.ALL, new PageRequest(2, 4));

        assertThat(first.items()).extracting(User::id).containsExactly("u0", "u1");
        assertThat(second.items()).extracting(User::id).containsExactly("u2", "u3");
        assertThat(last.items()).extracting(User::id).containsExactly("u4");
        assertThat(List.of(first.hasMore(), second.hasMore(), last.hasMore())).containsExactly(true, true, false);
    }

    @Test
    void countingTellsWhetherAnOwnerIsTheLastActiveOne() {
        users.insert(user("u1", "ada@example.org", OrgRole.OWNER, T0));
        users.insert(user("u2", "bob@example.org", OrgRole.OWNER, T0));
        users.insert(user("u3", "carol@example.org", OrgRole.MEMBER, T0));
        var activeOwners = UserFilter.ALL.withRole(OrgRole.OWNER).withStatus(UserStatus.ACTIVE);

        assertThat(users.count(activeOwners)).isEqualTo(2);
        assertThat(users.count(UserFilter.ALL)).isEqualTo(3);
    }

    @Test
    void deletingAUserRevokesTheirKeysAndRemovesTheirMemberships() {
        var keys = new KeyRepository(db.database().dataSource());
        var memberships = new MembershipRepository(db.database().dataSource());
        users.insert(user("u1", "ada@example.org", OrgRole.MEMBER, T0));
        users.insert(user("u2", "bob@example.org", OrgRole.MEMBER, T0));
        new TeamRepository(db.database().dataSource()).insert(new Team("t1", "red", "", Quota.NONE, T0, T0));
        memberships.add(new Membership("t1", "u1", TeamRole.TEAM_ADMIN, T0));
        keys.insert(key("k1", "u1", T0));
        keys.insert(key("k2", "u2", T0));
        Instant at = T0.plusSeconds(3600);

        assertThat(users.delete("u1", at)).isTrue();

        assertThat(users.findById("u1")).isEmpty();
        assertThat(memberships.of("u1")).isEmpty();
        ApiKey k1 = keys.findById("k1").orElseThrow();
        assertThat(k1.revokedAt()).isEqualTo(at);
        assertThat(k1.userId()).isEqualTo("u1");
        assertThat(keys.findById("k2").orElseThrow().revokedAt()).isNull();
        assertThat(keys.changedSince(at)).extracting(ApiKey::id).containsExactly("k1");
        assertThat(users.delete("u1", at)).isFalse();
    }

    static ApiKey key(String id, String userId, Instant createdAt) {
        String secret = KeySecrets.newSecret();
        return new ApiKey(id, id, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), Role.MEMBER, List.of(),
                createdAt, null, null, userId, null, Map.of(), null, Quota.NONE, null, null);
    }
}
