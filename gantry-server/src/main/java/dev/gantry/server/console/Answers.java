package dev.gantry.server.console;

import dev.gantry.server.console.AdminApiClient.ApiAnswer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Turns the admin API's answers into pages: the data on success, an error page that says why otherwise. */
final class Answers {
    private Answers() {}

    /** Renders with the answers of all the calls, or the first refusal among them. */
    static void all(RoutingContext ctx, List<Future<ApiAnswer>> calls, Consumer<List<JsonObject>> render) {
        Future.all(calls).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            for (Future<ApiAnswer> call : calls) {
                if (!call.result().ok()) {
                    refused(ctx, call.result());
                    return;
                }
            }
            render.accept(calls.stream().map(c -> c.result().body()).toList());
        });
    }

    static void one(RoutingContext ctx, Future<ApiAnswer> call, Consumer<JsonObject> render) {
        all(ctx, List.of(call), bodies -> render.accept(bodies.getFirst()));
    }

    /**
     * After a form: on success {@code ok} (usually a redirect to the changed thing); a refusal shows
     * its error page; an invalid form is shown again, with the API's message, through {@code invalid}.
     */
    static void afterForm(RoutingContext ctx, Future<ApiAnswer> call, Consumer<JsonObject> ok, Consumer<String> invalid) {
        call.onComplete(done -> {
            if (done.failed()) ctx.fail(done.cause());
            else if (done.result().ok()) ok.accept(done.result().body());
            else if (List.of(401, 403, 404).contains(done.result().status())) refused(ctx, done.result());
            else invalid.accept(done.result().errorMessage());
        });
    }

    /** The API said no: the visitor sees why, with the API's status (403 for another team's page, 404 for none). */
    static void refused(RoutingContext ctx, ApiAnswer answer) {
        if (answer.status() == 401) {
            ctx.response().addCookie(Cookies.expired(ctx));
            Pages.redirect(ctx, "/ui/login");
            return;
        }
        Visit visit = ConsoleGuard.visit(ctx);
        String title = switch (answer.status()) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            default -> "Something went wrong";
        };
        Pages.render(ctx, answer.status() >= 400 && answer.status() < 500 ? answer.status() : 502, "error.jte",
                Map.of("layout", Layout.of(visit, title, ""), "message", answer.errorMessage()));
    }
}
