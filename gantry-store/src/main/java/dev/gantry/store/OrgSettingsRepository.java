package dev.gantry.store;

import dev.gantry.identity.OrgSettings;
import dev.gantry.identity.Quota;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The organisation's budget and limits: the one row of {@code org_settings}, made by the migration. Blocking JDBC. */
public final class OrgSettingsRepository {
    private final DataSource ds;

    public OrgSettingsRepository(DataSource ds) { this.ds = ds; }

    public OrgSettings get() {
        String sql = "SELECT " + Jdbc.QUOTA_COLUMNS + ", updated_at FROM org_settings WHERE id = 1";
        return Jdbc.run(ds, "read organisation settings", c -> Jdbc.query(c, sql, List.of(),
                rs -> new OrgSettings(Jdbc.quota(rs), Jdbc.instant(rs, "updated_at")))).get(0);
    }

    public void update(Quota quota, Instant at) {
        var params = new ArrayList<Object>(Jdbc.quotaParams(quota));
        params.add(at);
        String sql = "UPDATE org_settings SET " + Jdbc.QUOTA_ASSIGNMENTS + ", updated_at = ? WHERE id = 1";
        Jdbc.run(ds, "update organisation settings", c -> Jdbc.update(c, sql, params));
    }
}
