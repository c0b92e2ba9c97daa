package dev.gantry.server.admin;

import dev.gantry.identity.Caller;
import dev.gantry.store.RollupRepository.Filter;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the analytics routes share: {@code from}/{@code to} (dates or instants, as {@code GET /usage}
 * takes them) and the filters {@code team_id}, {@code user_id}, {@code key_id}, {@code model}, narrowed
 * to the keys the caller may read. Without a range: the last 30 UTC days, today included, so that
 * the range is whole days and the daily roll-ups answer it.
 */
record UsageQuery(Instant from, Instant to, Filter filter) {
    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    private static final int MAX_ID = 200;

    static UsageQuery parse(RoutingContext ctx, Caller caller, KeyAccess access, Clock clock) {
        Instant endOfToday = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        Instant to = UsageApi.bound(ctx.queryParams().get("to"), "to", true).orElse(endOfToday);
        Instant from = UsageApi.bound(ctx.queryParams().get("from"), "from", false).orElse(to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) throw Json.invalid("from", "must be before 'to'");
        var filter = new Filter(id(ctx, "team_id"), id(ctx, "user_id"), id(ctx, "key_id"), id(ctx, "model"),
                access.readableKeys(caller));
        return new UsageQuery(from, to, filter);
    }

    private static String id(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        if (value == null || value.isBlank()) return null;
        if (value.length() > MAX_ID) throw Json.invalid(name, "must be at most " + MAX_ID + " characters");
        return value.trim();
    }

    /** Whole UTC days: the daily roll-ups answer exactly; otherwise the hourly ones, rounded out to hours. */
    boolean wholeDays() {
        return from.equals(from.truncatedTo(ChronoUnit.DAYS)) && to.equals(to.truncatedTo(ChronoUnit.DAYS));
    }
}
