package dev.gantry.server.console;

import static dev.gantry.server.console.KeysPages.enc;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Models and deployments with live health, the price catalog, and the audit log with its verification. */
final class OperationsPages {
    private final AdminApiClient api;

    OperationsPages(AdminApiClient api) { this.api = api; }

    /** The deployments table; htmx asks for {@code ?fragment=table} every few seconds to keep health live. */
    void models(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        boolean fragment = "table".equals(ctx.request().getParam("fragment"));
        Answers.one(ctx, api.get(visit, "/api/v1/deployments"), deployments -> Pages.render(ctx,
                fragment ? "modelsTable.jte" : "models.jte",
                Map.of("layout", Layout.of(visit, "Models and deployments", "models"),
                        "deployments", Format.objects(deployments, "data"))));
    }

    void prices(RoutingContext ctx) { prices(ctx, UnaryOperator.identity()); }

    private void prices(RoutingContext ctx, UnaryOperator<Layout> adjust) {
        Visit visit = ConsoleGuard.visit(ctx);
        Answers.one(ctx, api.get(visit, "/api/v1/prices"), prices -> Pages.render(ctx, "prices.jte", Map.of(
                "layout", adjust.apply(Notices.apply(ctx, Layout.of(visit, "Price catalog", "prices"))),
                "prices", Format.objects(prices, "data"))));
    }

    void putPrice(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        var form = ctx.request().formAttributes();
        String model = form.get("model");
        if (model == null || model.isBlank()) {
            prices(ctx, l -> l.withError("Name the model whose price you set."));
            return;
        }
        JsonObject body = FormJson.of(form).numbers(false, "input_per_mtok", "output_per_mtok", "cached_input_per_mtok").json();
        var call = api.call(visit, HttpMethod.PUT, "/api/v1/prices/" + enc(model.trim()), body);
        Answers.afterForm(ctx, call, answer -> Pages.redirect(ctx, "/ui/prices?notice=price-saved"),
                message -> prices(ctx, l -> l.withError(message)));
    }

    void audit(RoutingContext ctx) { audit(ctx, null); }

    void verifyAudit(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        Answers.one(ctx, api.call(visit, HttpMethod.POST, "/api/v1/audit/verify", new JsonObject()), result -> audit(ctx, result));
    }

    private void audit(RoutingContext ctx, JsonObject verification) {
        Visit visit = ConsoleGuard.visit(ctx);
        String before = ctx.request().getParam("before_seq");
        String uri = "/api/v1/audit?limit=50" + (before == null ? "" : "&before_seq=" + enc(before));
        Answers.one(ctx, api.get(visit, uri), entries -> {
            var params = new HashMap<String, Object>();
            params.put("layout", Layout.of(visit, "Audit log", "audit"));
            params.put("entries", Format.objects(entries, "data"));
            params.put("next", entries.getValue("next_before_seq"));
            params.put("verification", verification);
            Pages.render(ctx, "audit.jte", params);
        });
    }
}
