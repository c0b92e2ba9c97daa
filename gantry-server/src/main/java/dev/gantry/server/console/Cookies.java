package dev.gantry.server.console;

import dev.gantry.server.auth.ConsoleSessions;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/** The session cookie: HttpOnly, SameSite=Strict, for /ui only, and Secure whenever the browser came over TLS. */
final class Cookies {
    private Cookies() {}

    static Cookie session(RoutingContext ctx, String token) {
        return base(ctx, token).setMaxAge(ConsoleSessions.LIFETIME.toSeconds());
    }

    static Cookie expired(RoutingContext ctx) {
        return base(ctx, "").setMaxAge(0);
    }

    private static Cookie base(RoutingContext ctx, String value) {
        return Cookie.cookie(ConsoleGuard.COOKIE, value).setPath("/ui").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(overTls(ctx));
    }

    /** TLS here, or at a proxy in front that says so. */
    static boolean overTls(RoutingContext ctx) {
        return ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("x-forwarded-proto"));
    }
}
