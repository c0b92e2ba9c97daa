package dev.gantry.server.admin;

import dev.gantry.audit.AuditEntry;
import dev.gantry.store.AuditFilter;
import dev.gantry.store.AuditRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code /api/v1/audit}: the change log, newest first, and a walk of its hash chain. */
final class AuditApi {
    private final AuditRepository log;
    private final Vertx vertx;

    AuditApi(AuditRepository log, Vertx vertx) {
        this.log = log;
        this.vertx = vertx;
    }

    /** {@code ?actor_id=&action=&target_type=&target_id=&from=&to=&before_seq=&limit=}. */
    void list(RoutingContext ctx) {
        var q = ctx.queryParams();
        Future<JsonObject> result;
        try {
            var filter = new AuditFilter(q.get("actor_id"), q.get("action"), q.get("target_type"), q.get("target_id"),
                    instant(q.get("from"), "from"), instant(q.get("to"), "to"));
            long before = q.get("before_seq") == null ? Long.MAX_VALUE : Json.intParam(ctx, "before_seq", 0, 1, Integer.MAX_VALUE);
            int limit = Json.intParam(ctx, "limit", 100, 1, 1000);
            result = vertx.executeBlocking(() -> {
                var page = log.list(filter, before, limit);
                var data = new JsonArray();
                page.items().forEach(e -> data.add(view(e)));
                var answer = Json.list(data, page.hasMore());
                if (page.hasMore()) answer.put("next_before_seq", page.items().getLast().seq());
                return answer;
            }, false);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        Json.reply(ctx, 200, result);
    }

    void verify(RoutingContext ctx) {
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            var broken = log.verify();
            return new JsonObject().put("valid", broken.isEmpty())
                    .put("first_broken_seq", broken.isPresent() ? broken.getAsLong() : null);
        }, false));
    }

    private static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Json.invalid(name, "must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
        }
    }

    private static JsonObject view(AuditEntry e) {
        return new JsonObject().put("seq", e.seq()).put("object", "audit.entry").put("at", Json.time(e.at()))
                .put("actor_id", e.actorId()).put("actor_name", e.actorName()).put("action", e.action())
                .put("target_type", e.targetType()).put("target_id", e.targetId())
                .put("before", e.beforeJson() == null ? null : new JsonObject(e.beforeJson()))
                .put("after", e.afterJson() == null ? null : new JsonObject(e.afterJson()))
                .put("address", e.address()).put("prev_hash", e.prevHash()).put("hash", e.hash());
    }
}
