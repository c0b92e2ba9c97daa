package dev.gantry.server.admin;

import dev.gantry.store.UsageRepository;
import dev.gantry.store.UsageRepository.RequestQuery;
import dev.gantry.usage.UsageRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /api/v1/requests}: the request log, from the raw usage rows, newest first, paged with
 * {@code after} (the last request id of the previous page). Default range: the last 30 days to now.
 */
final class RequestLogApi {
    private final UsageRepository usage;
    private final KeyAccess access;
    private final Vertx vertx;
    private final Clock clock;

    RequestLogApi(UsageRepository usage, KeyAccess access, Vertx vertx, Clock clock) {
        this.usage = usage;
        this.access = access;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** {@code ?status=ok|error|HTTP code&min_latency_ms=&limit=50&after=} plus the shared range and filters. */
    void list(RoutingContext ctx) {
        Future<JsonObject> result;
        try {
            var to = UsageApi.bound(ctx.queryParams().get("to"), "to", true).orElse(clock.instant().plusMillis(1));
            var from = UsageApi.bound(ctx.queryParams().get("from"), "from", false).orElse(to.minus(Duration.ofDays(30)));
            if (!from.isBefore(to)) throw Json.invalid("from", "must be before 'to'");
            UsageQuery q = UsageQuery.parse(ctx, AdminAuth.caller(ctx), access, clock);
            String status = status(ctx.queryParams().get("status"));
            String minLatency = ctx.queryParams().get("min_latency_ms");
            Long min = minLatency == null || minLatency.isBlank() ? null : (long) Json.intParam(ctx, "min_latency_ms", 0, 0, Integer.MAX_VALUE);
            int limit = Json.intParam(ctx, "limit", 50, 1, 500);
            String after = ctx.queryParams().get("after");
            if (after != null && (after.isBlank() || after.length() > 64)) throw Json.invalid("after", "must be a request id");
            var query = new RequestQuery(from, to, q.filter(), status, min, after, limit + 1);
            result = vertx.executeBlocking(() -> {
                List<UsageRecord> rows = usage.newest(query);
                boolean more = rows.size() > limit;
                var data = new JsonArray();
                rows.stream().limit(limit).forEach(r -> data.add(UsageApi.row(r)));
                return Json.list(data, more).put("next_after", more ? rows.get(limit - 1).requestId() : null);
            }, false);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        Json.reply(ctx, 200, result);
    }

    private static String status(String value) {
        if (value == null || value.isBlank()) return null;
        String s = value.trim();
        if (s.equals("ok") || s.equals("error")) return s;
        if (s.matches("[1-5][0-9][0-9]")) return s;
        throw Json.invalid("status", "must be ok, error or an HTTP status such as 429");
    }
}
