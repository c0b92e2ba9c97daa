package dev.gantry.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.limits.BudgetPeriod;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The invariants users and quotas keep whoever builds them. */
class UserTest {
    static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

    static User user(String email, UserKind kind) {
        return new User("usr_1", email, "Ada", UserStatus.ACTIVE, OrgRole.MEMBER, kind, Quota.NONE, T0, T0);
    }

    @Test
    void emailsAreLowerCasedAndStripped() {
        assertThat(user("  Ada.Lovelace@Example.ORG ", UserKind.HUMAN).email()).isEqualTo("ada.lovelace@example.org");
    }

    @Test
    void humansNeedAnEmailAndServiceAccountsDoNot() {
        assertThatThrownBy(() -> user(null, UserKind.HUMAN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user(" ", UserKind.HUMAN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(user("", UserKind.SERVICE).email()).isNull();
    }

    @Test
    void quotasRefuseNegativeLimits() {
        assertThatThrownBy(() -> new Quota(-1L, null, BudgetPeriod.DAY, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budgetUsdNanos");
        assertThatThrownBy(() -> new Quota(null, null, BudgetPeriod.DAY, null, null, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxParallel");
    }

    @Test
    void aQuotaSaysWhatItLimits() {
        assertThat(Quota.NONE.hasBudget()).isFalse();
        assertThat(Quota.NONE.hasRateLimit()).isFalse();
        assertThat(new Quota(null, 1_000L, BudgetPeriod.TOTAL, null, null, null).hasBudget()).isTrue();
        assertThat(new Quota(null, null, BudgetPeriod.MONTH, null, 10_000, null).hasRateLimit()).isTrue();
    }

    @Test
    void namesRoundTripThroughTheirDatabaseForm() {
        for (OrgRole r : OrgRole.values()) assertThat(OrgRole.fromName(r.dbName())).contains(r);
        for (TeamRole r : TeamRole.values()) assertThat(TeamRole.fromName(r.dbName())).contains(r);
        for (BudgetPeriod p : BudgetPeriod.values()) assertThat(BudgetPeriod.fromName(p.dbName())).contains(p);
        assertThat(TeamRole.TEAM_ADMIN.dbName()).isEqualTo("team_admin");
        assertThat(OrgRole.fromName("OWNER")).isEmpty();
    }
}
