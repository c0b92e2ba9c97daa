package dev.gantry.server.console;

import dev.gantry.auth.ApiKey;
import dev.gantry.identity.UserKind;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.auth.ConsoleSessions;
import dev.gantry.server.identity.Directory;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Log-in with a key (an admin's or a user's; SSO comes later) and log-out. The key is checked as
 * the data plane checks it, then forgotten: the browser gets a session token, never the key.
 */
final class LoginPage {
    private final ConsoleSessions sessions;
    private final Authenticator authenticator;
    private final Directory directory;

    LoginPage(ConsoleSessions sessions, Authenticator authenticator, Directory directory) {
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.directory = directory;
    }

    void show(RoutingContext ctx) {
        render(ctx, 200, null);
    }

    void submit(RoutingContext ctx) {
        if (!sameOrigin(ctx)) { // a page elsewhere must not log a browser in as someone else
            render(ctx, 403, "Log in from the console's own page.");
            return;
        }
        String key = ctx.request().getFormAttribute("key");
        if (key == null || key.isBlank()) {
            render(ctx, 400, "Enter your Gantry key.");
            return;
        }
        authenticator.authenticateSecret(key.trim())
                .compose(found -> isServiceAccount(found) // their keys are for applications, not people
                        ? Future.failedFuture(new IllegalArgumentException("it belongs to a service account"))
                        : sessions.open(found.id()))
                .onSuccess(token -> {
                    ctx.response().addCookie(Cookies.session(ctx, token));
                    Pages.redirect(ctx, safeNext(ctx.request().getFormAttribute("next")));
                })
                .onFailure(e -> render(ctx, 401, "That key is not valid: " + e.getMessage()));
    }

    void logout(RoutingContext ctx) {
        var visit = ConsoleGuard.visit(ctx);
        sessions.close(visit.token()).onComplete(done -> {
            ctx.response().addCookie(Cookies.expired(ctx));
            Pages.redirect(ctx, "/ui/login");
        });
    }

    private void render(RoutingContext ctx, int status, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("error", error);
        params.put("next", safeNext(ctx.request().getParam("next")));
        Pages.render(ctx, status, "login.jte", params);
    }

    private boolean isServiceAccount(ApiKey key) {
        return directory.user(key.userId()).map(u -> u.kind() == UserKind.SERVICE).orElse(false);
    }

    private static boolean sameOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("origin");
        if (origin == null) return true; // not sent by older browsers on same-origin posts
        String host = ctx.request().getHeader("host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    /** Only back into the console: never an open redirect to another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/ui/") || next.startsWith("//") || next.contains("\\")) return "/ui/";
        return next;
    }
}
