package dev.gantry.server.admin;

import dev.gantry.identity.Caller;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.store.UsageRepository;
import dev.gantry.store.UsageTotal;
import dev.gantry.usage.UsageRecord;
import dev.gantry.store.RequestBodyRepository;
import dev.gantry.store.RequestBodyRepository.Bodies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** {@code /api/v1/usage}: totals by key, model and day; one request's row by its request id. */
final class UsageApi {
    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);

    private final UsageRepository usage;
    private final RequestBodyRepository bodies;
    private final KeyAccess access;
    private final Vertx vertx;
    private final Clock clock;

    UsageApi(UsageRepository usage, RequestBodyRepository bodies, KeyAccess access, Vertx vertx, Clock clock) {
        this.usage = usage;
        this.bodies = bodies;
        this.access = access;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** {@code ?from=&to=} as dates (UTC days, {@code to} inclusive) or instants; {@code &key_id=} to narrow. */
    void totals(RoutingContext ctx) {
        Future<JsonObject> result;
        try {
            Instant to = bound(ctx.queryParams().get("to"), "to", true).orElse(clock.instant());
            Instant from = bound(ctx.queryParams().get("from"), "from", false).orElse(to.minus(DEFAULT_RANGE));
            if (!from.isBefore(to)) throw Json.invalid("from", "must be before 'to'");
            Optional<String> keyId = Optional.ofNullable(ctx.queryParams().get("key_id"));
            Caller caller = AdminAuth.caller(ctx);
            // each caller sees the usage of the keys they may read; requests without a key only readers of everything
            result = vertx.executeBlocking(() -> render(from, to, usage.totals(from, to, keyId).stream()
                    .filter(t -> access.readsUsageOf(caller, t.keyId())).toList()), false);
        } catch (GatewayException e) {
            result = Future.failedFuture(e);
        }
        Json.reply(ctx, 200, result);
    }

    void request(RoutingContext ctx) {
        String id = ctx.pathParam("requestId");
        Caller caller = AdminAuth.caller(ctx);
        Json.reply(ctx, 200, vertx.executeBlocking(() -> usage.findByRequestId(id)
                .filter(r -> access.readsUsageOf(caller, r.keyId())).map(r -> withBodies(row(r)))
                .orElseThrow(() -> new GatewayException(ErrorCode.NOT_FOUND, "No usage recorded for request '" + id + "'.")), false));
    }

    /** The captured prompt and completion, read only once the caller may read the row; null when not captured. */
    private JsonObject withBodies(JsonObject row) {
        var captured = bodies.findByRequestId(row.getString("request_id"));
        return row.put("request_body", captured.map(Bodies::requestBody).orElse(null))
                .put("response_body", captured.map(Bodies::responseBody).orElse(null))
                .put("bodies_truncated", captured.map(Bodies::truncated).orElse(null));
    }

    private static JsonObject render(Instant from, Instant to, java.util.List<UsageTotal> totals) {
        var data = new JsonArray();
        long requests = 0, input = 0, output = 0, cost = 0;
        for (UsageTotal t : totals) {
            data.add(new JsonObject().put("key_id", t.keyId()).put("model", t.model()).put("day", t.day().toString())
                    .put("requests", t.requests()).put("errors", t.errors())
                    .put("input_tokens", t.inputTokens()).put("output_tokens", t.outputTokens())
                    .put("cached_input_tokens", t.cachedInputTokens()).put("cost_usd", usd(t.costNanos())));
            requests += t.requests();
            input += t.inputTokens();
            output += t.outputTokens();
            cost += t.costNanos();
        }
        return new JsonObject().put("object", "usage").put("from", from.toString()).put("to", to.toString())
                .put("data", data)
                .put("total", new JsonObject().put("requests", requests).put("input_tokens", input)
                        .put("output_tokens", output).put("cost_usd", usd(cost)));
    }

    static JsonObject row(UsageRecord r) {
        return new JsonObject().put("request_id", r.requestId()).put("timestamp", r.timestamp().toString())
                .put("key_id", r.keyId()).put("user_id", r.userId()).put("team_id", r.teamId()).put("endpoint", r.endpoint()).put("model", r.model())
                .put("served_model", r.servedModel())
                .put("deployment", r.deployment()).put("input_tokens", r.usage().inputTokens())
                .put("output_tokens", r.usage().outputTokens()).put("cached_input_tokens", r.usage().cachedInputTokens())
                .put("estimated", r.usage().estimated()).put("cost_usd", usd(r.costNanos()))
                .put("status", r.httpStatus()).put("outcome", r.outcome().dbName()).put("stream", r.stream())
                .put("latency_ms", r.latencyMillis()).put("ttft_ms", r.ttftMillis() < 0 ? null : r.ttftMillis());
    }

    private static BigDecimal usd(long nanos) { return BigDecimal.valueOf(nanos, 9).stripTrailingZeros(); }

    static Optional<Instant> bound(String value, String field, boolean inclusiveDay) {
        if (value == null || value.isBlank()) return Optional.empty();
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return Optional.of((inclusiveDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw Json.invalid(field, "must be a date (2026-11-22) or an instant (2026-11-22T10:00:00Z)");
        }
    }
}
