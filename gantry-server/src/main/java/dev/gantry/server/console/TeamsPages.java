package dev.gantry.server.console;

import static dev.gantry.server.console.KeysPages.enc;

import dev.gantry.server.console.AdminApiClient.ApiAnswer;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Teams: list and create; a team's members (add, change role, remove), budget and limits. */
final class TeamsPages {
    private final AdminApiClient api;

    TeamsPages(AdminApiClient api) { this.api = api; }

    void list(RoutingContext ctx) { list(ctx, UnaryOperator.identity()); }

    private void list(RoutingContext ctx, UnaryOperator<Layout> adjust) {
        Visit visit = ConsoleGuard.visit(ctx);
        // the organisation's own limits are for those who read everything
        var calls = visit.readsAll() ? List.of(api.get(visit, "/api/v1/teams?limit=500"), api.get(visit, "/api/v1/org"))
                : List.of(api.get(visit, "/api/v1/teams?limit=500"));
        Answers.all(ctx, calls, bodies -> {
            var params = new HashMap<String, Object>();
            params.put("layout", adjust.apply(Notices.apply(ctx, Layout.of(visit, "Teams", "teams"))));
            params.put("teams", Format.objects(bodies.get(0), "data"));
            params.put("org", bodies.size() > 1 ? bodies.get(1) : null);
            Pages.render(ctx, "teams.jte", params);
        });
    }

    void updateOrg(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        JsonObject body = FormJson.of(ctx.request().formAttributes()).text("budget_period")
                .numbers(true, KeysPages.QUOTA_NUMBERS.toArray(String[]::new)).json();
        var call = api.call(visit, HttpMethod.PATCH, "/api/v1/org", body);
        Answers.afterForm(ctx, call, answer -> Pages.redirect(ctx, "/ui/teams?notice=org-updated"),
                message -> list(ctx, l -> l.withError(message)));
    }

    void create(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        JsonObject body = FormJson.of(ctx.request().formAttributes()).text("name", "description").json();
        var call = api.call(visit, HttpMethod.POST, "/api/v1/teams", body);
        Answers.afterForm(ctx, call, answer -> Pages.redirect(ctx, "/ui/teams/" + enc(answer.getString("id")) + "?notice=team-created"),
                message -> list(ctx, l -> l.withError(message)));
    }

    void show(RoutingContext ctx) { show(ctx, UnaryOperator.identity()); }

    private void show(RoutingContext ctx, UnaryOperator<Layout> adjust) {
        Visit visit = ConsoleGuard.visit(ctx);
        String id = enc(ctx.pathParam("id"));
        var calls = List.of(api.get(visit, "/api/v1/teams/" + id), api.get(visit, "/api/v1/teams/" + id + "/members"),
                api.get(visit, "/api/v1/budgets?scope=team&id=" + id), api.get(visit, "/api/v1/users?limit=1000"));
        Answers.all(ctx, calls, bodies -> {
            JsonObject team = bodies.get(0);
            Pages.render(ctx, "team.jte", Map.of(
                    "layout", adjust.apply(Notices.apply(ctx, Layout.of(visit, "Team " + team.getString("name"), "teams"))),
                    "team", team, "members", Format.objects(bodies.get(1), "data"),
                    "budgets", Format.objects(bodies.get(2), "data"), "users", Format.objects(bodies.get(3), "data")));
        });
    }

    void update(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        JsonObject body = FormJson.of(ctx.request().formAttributes()).text("name", "description", "budget_period")
                .numbers(true, KeysPages.QUOTA_NUMBERS.toArray(String[]::new)).checkbox("capture_bodies").json();
        after(ctx, api.call(visit, HttpMethod.PATCH, "/api/v1/teams/" + enc(ctx.pathParam("id")), body), "team-updated");
    }

    void putMember(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        var form = ctx.request().formAttributes();
        String userId = form.get("user_id");
        if (userId == null || userId.isBlank()) {
            show(ctx, l -> l.withError("Choose a user to add."));
            return;
        }
        JsonObject body = FormJson.of(form).text("role").json();
        after(ctx, api.call(visit, HttpMethod.PUT, "/api/v1/teams/" + enc(ctx.pathParam("id")) + "/members/" + enc(userId), body),
                "member-saved");
    }

    void removeMember(RoutingContext ctx) {
        Visit visit = ConsoleGuard.visit(ctx);
        after(ctx, api.call(visit, HttpMethod.DELETE,
                "/api/v1/teams/" + enc(ctx.pathParam("id")) + "/members/" + enc(ctx.pathParam("userId")), null), "member-removed");
    }

    private void after(RoutingContext ctx, Future<ApiAnswer> call, String notice) {
        Answers.afterForm(ctx, call, answer -> Pages.redirect(ctx, "/ui/teams/" + enc(ctx.pathParam("id")) + "?notice=" + notice),
                message -> show(ctx, l -> l.withError(message)));
    }
}
