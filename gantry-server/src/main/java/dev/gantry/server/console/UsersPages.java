package dev.gantry.server.console;

import static dev.gantry.server.console.KeysPages.enc;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Users: list and create; a user's role, status, budget, limits, teams and keys. */
final class UsersPages {
    private final AdminApiClient api;

    UsersPages(AdminApiClient api) { this.api = api; }

    void list(RoutingContext ctx) { list(ctx, UnaryOperator.identity()); }

    private void list(RoutingContext ctx, UnaryOperator<Layout> adjust) {
        Visit visit = ConsoleGuard.visit(ctx);
        Answers.one(ctx, api.get(visit, "/api/v1/users?limit=1000"), users -> Pages.render(ctx, "users.jte", Map.of(
                "layout", adjust.apply(Notices.apply(ctx, Layout.of(visit, "Users", "users"))),
                "users", Format.objects(users, "data"))));
    }

    void create(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        JsonObject body = FormJson.of(ctx.request().formAttributes()).text("email", "display_name", "role", "kind").json();
        var call = api.call(visit, HttpMethod.POST, "/api/v1/users", body);
        Answers.afterForm(ctx, call, answer -> Pages.redirect(ctx, "/ui/users/" + enc(answer.getString("id")) + "?notice=user-created"),
                message -> list(ctx, l -> l.withError(message)));
    }

    void show(RoutingContext ctx) { show(ctx, UnaryOperator.identity()); }

    private void show(RoutingContext ctx, UnaryOperator<Layout> adjust) {
        Visit visit = ConsoleGuard.visit(ctx);
        String id = enc(ctx.pathParam("id"));
        var calls = List.of(api.get(visit, "/api/v1/users/" + id), api.get(visit, "/api/v1/keys?limit=200&user_id=" + id),
                api.get(visit, "/api/v1/budgets?scope=user&id=" + id));
        Answers.all(ctx, calls, bodies -> {
            JsonObject user = bodies.get(0);
            Pages.render(ctx, "user.jte", Map.of(
                    "layout", adjust.apply(Notices.apply(ctx, Layout.of(visit, "User " + user.getString("email"), "users"))),
                    "user", user, "keys", Format.objects(bodies.get(1), "data"), "budgets", Format.objects(bodies.get(2), "data")));
        });
    }

    void update(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        JsonObject body = FormJson.of(ctx.request().formAttributes()).text("display_name", "role", "status", "budget_period")
                .numbers(true, KeysPages.QUOTA_NUMBERS.toArray(String[]::new)).json();
        String id = ctx.pathParam("id");
        var call = api.call(visit, HttpMethod.PATCH, "/api/v1/users/" + enc(id), body);
        Answers.afterForm(ctx, call, answer -> Pages.redirect(ctx, "/ui/users/" + enc(id) + "?notice=user-updated"),
                message -> show(ctx, l -> l.withError(message)));
    }
}
