package dev.gantry.server.admin;

import dev.gantry.identity.Quota;
import dev.gantry.limits.BudgetPeriod;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The budget and limit fields that keys, users, teams and the organisation share, in and out of
 * JSON. On an update, a field that is absent keeps its value and an explicit {@code null} clears it.
 */
final class QuotaJson {
    static final Set<String> FIELDS = Set.of("budget_usd", "budget_tokens", "budget_period", "rpm", "tpm", "max_parallel");
    private static final long MAX_COUNT = 1_000_000_000_000L;
    private static final int MAX_RATE = 1_000_000_000;

    private QuotaJson() {}

    static Quota read(JsonObject body, Quota current) {
        return new Quota(
                body.containsKey("budget_usd") ? Json.optionalUsdNanos(body, "budget_usd") : current.budgetUsdNanos(),
                body.containsKey("budget_tokens") ? Json.optionalLong(body, "budget_tokens", 0, MAX_COUNT) : current.budgetTokens(),
                body.containsKey("budget_period") && body.getValue("budget_period") != null
                        ? Json.optionalEnum(body, "budget_period", BudgetPeriod::fromName, "day, week, month, total")
                        : current.budgetPeriod(),
                body.containsKey("rpm") ? rate(body, "rpm") : current.rpm(),
                body.containsKey("tpm") ? rate(body, "tpm") : current.tpm(),
                body.containsKey("max_parallel") ? rate(body, "max_parallel") : current.maxParallel());
    }

    private static Integer rate(JsonObject body, String field) {
        Long v = Json.optionalLong(body, field, 0, MAX_RATE);
        return v == null ? null : v.intValue();
    }

    static JsonObject write(Quota q, JsonObject into) {
        return into.put("budget_usd", Json.usd(q.budgetUsdNanos())).put("budget_tokens", q.budgetTokens())
                .put("budget_period", q.budgetPeriod().dbName())
                .put("rpm", q.rpm()).put("tpm", q.tpm()).put("max_parallel", q.maxParallel());
    }
}
