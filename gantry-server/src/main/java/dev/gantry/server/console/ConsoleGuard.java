package dev.gantry.server.console;

import dev.gantry.server.auth.ConsoleSessions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Guards every console page but the log-in: a live session (else to the log-in page, which brings
 * the visitor back), the session's CSRF token on every form, and who the visitor is, asked of the
 * API so that a revoked key or a suspended user ends the session at once.
 */
final class ConsoleGuard implements Handler<RoutingContext> {
    static final String COOKIE = "gantry_session";
    private static final String VISIT = "gantry.visit";

    private final ConsoleSessions sessions;
    private final AdminApiClient api;

    ConsoleGuard(ConsoleSessions sessions, AdminApiClient api) {
        this.sessions = sessions;
        this.api = api;
    }

    @Override
    public void handle(RoutingContext ctx) {
        var cookie = ctx.request().getCookie(COOKIE);
        if (cookie == null) {
            toLogin(ctx);
            return;
        }
        String token = cookie.getValue();
        String csrf = ConsoleSessions.csrfToken(token);
        if (ctx.request().method() != HttpMethod.GET && !ConsoleSessions.csrfMatches(token, presentedCsrf(ctx))) {
            ctx.response().setStatusCode(403).putHeader("content-type", "text/plain; charset=utf-8")
                    .end("This form has expired or did not come from the console. Reload the page and try again.");
            return;
        }
        var remote = ctx.request().remoteAddress();
        String address = remote == null ? "unknown" : remote.hostAddress();
        var partial = new Visit(token, csrf, address, sessions.proveAddress(token, address), null);
        api.get(partial, "/api/v1/me").onComplete(me -> {
            if (me.failed()) {
                ctx.fail(me.cause());
            } else if (me.result().status() == 401) {
                ctx.response().addCookie(Cookies.expired(ctx));
                toLogin(ctx);
            } else if (!me.result().ok()) {
                ctx.fail(new IllegalStateException("GET /api/v1/me answered " + me.result().status()));
            } else {
                ctx.put(VISIT, new Visit(token, csrf, address, partial.addressProof(), me.result().body()));
                ctx.next();
            }
        });
    }

    static Visit visit(RoutingContext ctx) { return ctx.get(VISIT); }

    private static String presentedCsrf(RoutingContext ctx) {
        String header = ctx.request().getHeader("x-csrf-token");
        return header != null ? header : ctx.request().getFormAttribute("_csrf");
    }

    private static void toLogin(RoutingContext ctx) {
        String back = ctx.request().method() == HttpMethod.GET ? ctx.request().uri() : "/ui/";
        Pages.redirect(ctx, "/ui/login?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
    }
}
