package dev.gantry.server.console;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Keys: the list the visitor may see, create (the key is shown once, with the settings to paste
 * into each agent), rotate and revoke; and "connect your agent".
 */
final class KeysPages {
    static final List<String> QUOTA_NUMBERS = List.of("budget_usd", "budget_tokens", "rpm", "tpm", "max_parallel");
    private final AdminApiClient api;

    KeysPages(AdminApiClient api) { this.api = api; }

    void list(RoutingContext ctx) { list(ctx, UnaryOperator.identity()); }

    private void list(RoutingContext ctx, UnaryOperator<Layout> adjust) {
        Visit visit = ConsoleGuard.visit(ctx);
        String userId = ctx.request().getParam("user_id");
        String uri = "/api/v1/keys?limit=200" + (userId == null ? "" : "&user_id=" + enc(userId));
        Answers.one(ctx, api.get(visit, uri), keys -> Pages.render(ctx, "keys.jte", Map.of(
                "layout", adjust.apply(Notices.apply(ctx, Layout.of(visit, "Keys", "keys"))),
                "keys", Format.objects(keys, "data"), "selfId", String.valueOf(visit.userId()))));
    }

    void create(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        var form = ctx.request().formAttributes();
        JsonObject body = FormJson.of(form).text("name", "user_id", "team_id", "budget_period").list("models")
                .numbers(false, QUOTA_NUMBERS.toArray(String[]::new)).endOfDay("expires_at").json();
        var call = api.call(visit, HttpMethod.POST, "/api/v1/keys", body);
        Answers.afterForm(ctx, call, answer -> shown(ctx, visit, answer, "Your new key"),
                message -> list(ctx, l -> l.withError(message)));
    }

    void rotate(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        var call = api.call(visit, HttpMethod.POST, "/api/v1/keys/" + enc(ctx.pathParam("id")) + "/rotate", new JsonObject());
        Answers.afterForm(ctx, call, answer -> shown(ctx, visit, answer, "The key's new secret"),
                message -> list(ctx, l -> l.withError(message)));
    }

    void show(RoutingContext ctx) { show(ctx, UnaryOperator.identity()); }

    private void show(RoutingContext ctx, UnaryOperator<Layout> adjust) {
        Visit visit = ConsoleGuard.visit(ctx);
        String id = enc(ctx.pathParam("id"));
        var calls = List.of(api.get(visit, "/api/v1/keys/" + id), api.get(visit, "/api/v1/budgets?scope=key&id=" + id));
        Answers.all(ctx, calls, bodies -> Pages.render(ctx, "key.jte", Map.of(
                "layout", adjust.apply(Notices.apply(ctx, Layout.of(visit, "Key " + bodies.get(0).getString("name"), "keys"))),
                "key", bodies.get(0), "budgets", Format.objects(bodies.get(1), "data"))));
    }

    void update(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        JsonObject body = FormJson.of(ctx.request().formAttributes()).text("name", "budget_period").list("models")
                .numbers(true, QUOTA_NUMBERS.toArray(String[]::new)).endOfDay("expires_at").json();
        if (!body.containsKey("models")) body.put("models", new JsonArray()); // a blank list allows every model
        String id = ctx.pathParam("id");
        var call = api.call(visit, HttpMethod.PATCH, "/api/v1/keys/" + enc(id), body);
        Answers.afterForm(ctx, call, answer -> Pages.redirect(ctx, "/ui/keys/" + enc(id) + "?notice=key-updated"),
                message -> show(ctx, l -> l.withError(message)));
    }

    void revoke(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        var call = api.call(visit, HttpMethod.DELETE, "/api/v1/keys/" + enc(ctx.pathParam("id")), null);
        Answers.afterForm(ctx, call, answer -> Pages.redirect(ctx, "/ui/keys?notice=key-revoked"),
                message -> list(ctx, l -> l.withError(message)));
    }

    void connect(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        Pages.render(ctx, "connect.jte", Map.of("layout", Layout.of(visit, "Connect your agent", "connect"),
                "gateway", gatewayUrl(ctx), "key", "<your Gantry key>"));
    }

    /** The one page that ever shows a key's secret: right after it was made. */
    private static void shown(RoutingContext ctx, Visit visit, JsonObject key, String title) {
        Pages.render(ctx, 201, "keyCreated.jte", Map.of("layout", Layout.of(visit, title, "keys"), "key", key,
                "gateway", gatewayUrl(ctx)));
    }

    /** This gateway as the browser reached it, for the settings to paste into agents. */
    static String gatewayUrl(RoutingContext ctx) {
        String host = ctx.request().getHeader("x-forwarded-host");
        if (host == null) host = ctx.request().authority() == null ? "localhost:4000" : ctx.request().authority().toString();
        return (Cookies.overTls(ctx) ? "https://" : "http://") + host;
    }

    static String enc(String value) { return URLEncoder.encode(value, StandardCharsets.UTF_8); }
}
