package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.identity.OrgSettings;
import dev.gantry.identity.Quota;
import dev.gantry.limits.BudgetPeriod;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The organisation's budget and limits: one row, there from the start. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class OrgSettingsRepositoryTest {
    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    OrgSettingsRepository settings;

    @BeforeEach
    void create() {
        db = backend.create();
        settings = new OrgSettingsRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    @Test
    void aNewOrganisationHasNoLimits() {
        assertThat(settings.get().quota()).isEqualTo(Quota.NONE);
    }

    @Test
    void limitsAreStoredAndRemoved() {
        Instant at = Instant.parse("2025-06-01T00:00:00.000001Z");
        var quota = new Quota(100_000_000_000L, 50_000_000L, BudgetPeriod.MONTH, 6_000, 2_000_000, 256);

        settings.update(quota, at);
        assertThat(settings.get()).isEqualTo(new OrgSettings(quota, at));

        settings.update(Quota.NONE, at.plusSeconds(1));
        assertThat(settings.get()).isEqualTo(new OrgSettings(Quota.NONE, at.plusSeconds(1)));
        assertThat(db.column("SELECT COUNT(*) FROM org_settings")).containsExactly("1");
    }
}
