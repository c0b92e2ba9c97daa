package dev.gantry.server.console;

import static dev.gantry.server.console.KeysPages.enc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the spend is seen: the dashboard (spend, tokens, requests, errors and latency over time,
 * split as the visitor picks; top users and keys; the budget's burn-down), the savings against a
 * frontier model, and the request log. What each visitor sees is what the API lets them read.
 */
final class DashboardPages {
    private final AdminApiClient api;

    DashboardPages(AdminApiClient api) { this.api = api; }

    void dashboard(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        var filter = UsageFilter.of(ctx);
        String budgetScope = filter.teamId() != null ? "scope=team&id=" + enc(filter.teamId())
                : visit.readsAll() ? "scope=org" : visit.userId() != null ? "scope=user&id=" + enc(visit.userId()) : "scope=key";
        var calls = List.of(
                api.get(visit, "/api/v1/usage/series?" + filter.query() + "&granularity=" + filter.granularity() + "&split=" + filter.split()),
                api.get(visit, "/api/v1/usage/top?by=user&limit=10&" + filter.query()),
                api.get(visit, "/api/v1/usage/top?by=key&limit=10&" + filter.query()),
                api.get(visit, "/api/v1/usage/savings?" + filter.query() + filter.reference()),
                api.get(visit, "/api/v1/budgets?" + budgetScope),
                api.get(visit, "/api/v1/teams?limit=500"));
        Answers.all(ctx, calls, bodies -> {
            JsonObject series = bodies.get(0);
            Map<String, Object> params = new HashMap<>();
            params.put("layout", Layout.of(visit, "Dashboard", "dashboard"));
            params.put("filter", filter);
            params.put("summary", series.getJsonObject("summary", new JsonObject()));
            params.put("spendChart", Charts.perSeries(series, "cost_usd", "usd").encode());
            params.put("tokensChart", Charts.tokens(series).encode());
            params.put("requestsChart", Charts.requests(series).encode());
            params.put("latencyChart", Charts.latency(series).encode());
            params.put("topUsers", Format.objects(bodies.get(1), "data"));
            params.put("topKeys", Format.objects(bodies.get(2), "data"));
            params.put("savings", bodies.get(3));
            List<JsonObject> budgets = Format.objects(bodies.get(4), "data");
            params.put("budget", budgets.isEmpty() ? null : budgets.getFirst());
            params.put("burnDown", budgets.isEmpty() ? null : Charts.burnDown(budgets.getFirst(), Instant.now()).encode());
            params.put("teams", Format.objects(bodies.get(5), "data"));
            Pages.render(ctx, "dashboard.jte", params);
        });
    }

    void savings(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        var filter = UsageFilter.of(ctx);
        var calls = List.of(api.get(visit, "/api/v1/usage/savings?" + filter.query() + filter.reference()),
                api.get(visit, "/api/v1/prices"), api.get(visit, "/api/v1/teams?limit=500"));
        Answers.all(ctx, calls, bodies -> Pages.render(ctx, "savings.jte", Map.of(
                "layout", Layout.of(visit, "Savings", "savings"), "filter", filter, "savings", bodies.get(0),
                "models", Format.objects(bodies.get(0), "models"), "prices", Format.objects(bodies.get(1), "data"),
                "teams", Format.objects(bodies.get(2), "data"))));
    }

    void requests(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        var filter = UsageFilter.of(ctx);
        var q = new StringBuilder(filter.query()).append("&limit=50");
        for (String p : List.of("key_id", "user_id", "status", "min_latency_ms", "after")) {
            String v = ctx.request().getParam(p);
            if (v != null && !v.isBlank()) q.append('&').append(p).append('=').append(enc(v.trim()));
        }
        Answers.one(ctx, api.get(visit, "/api/v1/requests?" + q), page -> {
            Map<String, Object> params = new HashMap<>();
            params.put("layout", Layout.of(visit, "Requests", "requests"));
            params.put("filter", filter);
            params.put("rows", Format.objects(page, "data"));
            params.put("next", page.getBoolean("has_more", false) ? page.getString("next_after") : null);
            params.put("query", ctx.queryParams());
            Pages.render(ctx, "requests.jte", params);
        });
    }

    void request(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        Answers.one(ctx, api.get(visit, "/api/v1/usage/requests/" + enc(ctx.pathParam("id"))), row -> Pages.render(ctx,
                "request.jte", Map.of("layout", Layout.of(visit, "Request " + row.getString("request_id"), "requests"), "row", row)));
    }

    /** Chart data for console.js: {@code {"x":[epoch seconds], "series":[{"label", "values"}], "unit"}}. */
    static final class Charts {
        private Charts() {}

        static JsonObject perSeries(JsonObject answer, String field, String unit) {
            var series = new JsonArray();
            for (JsonObject s : Format.objects(answer, "series")) {
                series.add(new JsonObject().put("label", s.getString("name", s.getString("id"))).put("values", s.getJsonArray(field)));
            }
            return chart(answer, series, unit);
        }

        static JsonObject tokens(JsonObject answer) {
            return chart(answer, new JsonArray().add(summed(answer, "input_tokens", "Input tokens"))
                    .add(summed(answer, "output_tokens", "Output tokens")), "count");
        }

        static JsonObject requests(JsonObject answer) {
            return chart(answer, new JsonArray().add(summed(answer, "requests", "Requests")).add(summed(answer, "errors", "Errors")), "count");
        }

        static JsonObject latency(JsonObject answer) {
            JsonObject latency = answer.getJsonObject("latency", new JsonObject());
            var series = new JsonArray();
            for (var entry : List.of(List.of("p50_ms", "Latency p50"), List.of("p95_ms", "Latency p95"),
                    List.of("ttft_p50_ms", "First token p50"), List.of("ttft_p95_ms", "First token p95"))) {
                series.add(new JsonObject().put("label", entry.get(1)).put("values", latency.getJsonArray(entry.get(0), new JsonArray())));
            }
            return chart(answer, series, "ms");
        }

        /**
         * Spent so far in the budget's period against a straight-line forecast to its end: the
         * rate so far, kept up. Honest about what it is: a line, not a model of next week.
         */
        static JsonObject burnDown(JsonObject budget, Instant now) {
            Instant start = Instant.parse(budget.getString("window_start"));
            String resets = budget.getString("resets_at");
            double spent = Double.parseDouble(String.valueOf(budget.getValue("spent_usd", 0)));
            Object limit = budget.getValue("budget_usd");
            var x = new JsonArray().add(start.getEpochSecond()).add(now.getEpochSecond());
            var actual = new JsonArray().add(0).add(spent);
            var forecast = new JsonArray().add(0).add(spent);
            var cap = new JsonArray();
            double forecastAtEnd = spent;
            if (resets != null) {
                Instant end = Instant.parse(resets);
                double elapsed = Math.max(1, Duration.between(start, now).toSeconds());
                forecastAtEnd = spent * Duration.between(start, end).toSeconds() / elapsed;
                x.add(end.getEpochSecond());
                actual.addNull();
                forecast.add(Math.round(forecastAtEnd * 10_000) / 10_000.0);
            }
            var series = new JsonArray().add(new JsonObject().put("label", "Spent").put("values", actual))
                    .add(new JsonObject().put("label", "Forecast").put("values", forecast).put("dash", true));
            if (limit != null) {
                for (int i = 0; i < x.size(); i++) cap.add(Double.parseDouble(limit.toString()));
                series.add(new JsonObject().put("label", "Budget").put("values", cap));
            }
            return new JsonObject().put("x", x).put("series", series).put("unit", "usd")
                    .put("forecast_usd", forecastAtEnd);
        }

        private static JsonObject summed(JsonObject answer, String field, String label) {
            int n = answer.getJsonArray("buckets", new JsonArray()).size();
            double[] sum = new double[n];
            for (JsonObject s : Format.objects(answer, "series")) {
                JsonArray values = s.getJsonArray(field, new JsonArray());
                for (int i = 0; i < Math.min(n, values.size()); i++) sum[i] += Double.parseDouble(String.valueOf(values.getValue(i)));
            }
            var values = new JsonArray();
            for (double v : sum) values.add(v);
            return new JsonObject().put("label", label).put("values", values);
        }

        private static JsonObject chart(JsonObject answer, JsonArray series, String unit) {
            var x = new JsonArray();
            for (Object bucket : answer.getJsonArray("buckets", new JsonArray())) x.add(Instant.parse(bucket.toString()).getEpochSecond());
            return new JsonObject().put("x", x).put("series", series).put("unit", unit);
        }
    }
}
