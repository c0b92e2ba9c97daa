package dev.gantry.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {
    private static Caller caller(OrgRole role, Map<String, TeamRole> teams) {
        return new Caller("key_1", "usr_me", "me@example.com", role, teams);
    }

    @Test
    void ownersAndAdminsDoEverythingButAdminsLeaveOwnersAlone() {
        var owner = caller(OrgRole.OWNER, Map.of());
        var admin = caller(OrgRole.ADMIN, Map.of());
        assertThat(admin.administersTeam("team_x")).isTrue();
        assertThat(admin.managesKeysOf("usr_other", Set.of())).isTrue();
        assertThat(admin.mayAssign(OrgRole.MEMBER, OrgRole.ADMIN)).isTrue();
        assertThat(admin.mayAssign(OrgRole.MEMBER, OrgRole.OWNER)).isFalse();
        assertThat(admin.mayAssign(OrgRole.OWNER, OrgRole.MEMBER)).isFalse();
        assertThat(owner.mayAssign(OrgRole.OWNER, OrgRole.MEMBER)).isTrue();
    }

    @Test
    void aViewerReadsEverythingAndChangesNothing() {
        var viewer = caller(OrgRole.VIEWER, Map.of());
        assertThat(viewer.readsAll()).isTrue();
        assertThat(viewer.readsKeysOf("usr_other", Set.of("team_a"))).isTrue();
        assertThat(viewer.isAdmin()).isFalse();
        assertThat(viewer.administersTeam("team_a")).isFalse();
        assertThat(viewer.managesKeysOf("usr_other", Set.of("team_a"))).isFalse();
        assertThat(viewer.mayAssign(OrgRole.MEMBER, OrgRole.MEMBER)).isFalse();
    }

    @Test
    void aTeamAdminReachesTheirTeamsMembersAndNoOneElse() {
        var teamAdmin = caller(OrgRole.MEMBER, Map.of("team_a", TeamRole.TEAM_ADMIN, "team_c", TeamRole.MEMBER));
        assertThat(teamAdmin.administersTeam("team_a")).isTrue();
        assertThat(teamAdmin.administersTeam("team_b")).isFalse();
        assertThat(teamAdmin.administersTeam("team_c")).isFalse();
        assertThat(teamAdmin.readsTeam("team_c")).isTrue();
        assertThat(teamAdmin.administersSomeTeam()).isTrue();
        assertThat(teamAdmin.readsTeam("team_b")).isFalse();
        assertThat(teamAdmin.managesKeysOf("usr_a1", Set.of("team_a"))).isTrue();
        assertThat(teamAdmin.managesKeysOf("usr_b1", Set.of("team_b"))).isFalse();
        assertThat(teamAdmin.managesKeysOf("usr_c1", Set.of("team_c"))).isFalse();
        assertThat(teamAdmin.readsUser("usr_b1", Set.of("team_b"))).isFalse();
        assertThat(teamAdmin.mayAssign(OrgRole.MEMBER, OrgRole.MEMBER)).isFalse();
    }

    @Test
    void aMemberReachesOnlyThemselves() {
        var member = caller(OrgRole.MEMBER, Map.of("team_a", TeamRole.MEMBER));
        assertThat(member.administersSomeTeam()).isFalse();
        assertThat(member.managesKeysOf("usr_me", Set.of("team_a"))).isTrue();
        assertThat(member.readsUser("usr_me", Set.of())).isTrue();
        assertThat(member.managesKeysOf("usr_a2", Set.of("team_a"))).isFalse();
        assertThat(member.readsKeysOf("usr_a2", Set.of("team_a"))).isFalse();
        assertThat(member.readsAll()).isFalse();
    }

    @Test
    void aKeyWithoutAUserIsNobodysSelf() {
        var legacy = new Caller("key_1", null, "old key", OrgRole.MEMBER, Map.of());
        assertThat(legacy.isSelf(null)).isFalse();
        assertThat(legacy.managesKeysOf(null, Set.of())).isFalse();
    }
}
