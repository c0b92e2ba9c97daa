package dev.gantry.server.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** Renders the console's templates (compiled to Java at build time) and answers with them. */
final class Pages {
    /** Scripts only from the console itself: no inline script, no third-party origin. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private Pages() {}

    static void render(RoutingContext ctx, int status, String template, Map<String, Object> params) {
        var out = new StringOutput();
        ENGINE.render(template, params, out);
        secure(ctx).setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8").end(out.toString());
    }

    static void render(RoutingContext ctx, String template, Map<String, Object> params) {
        render(ctx, 200, template, params);
    }

    /** After a form: see-other, so that reloading the page does not post the form again. htmx follows it too. */
    static void redirect(RoutingContext ctx, String location) {
        secure(ctx).setStatusCode(303).putHeader("location", location).end();
    }

    private static HttpServerResponse secure(RoutingContext ctx) {
        return ctx.response().putHeader("content-security-policy", CSP).putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "same-origin").putHeader("cache-control", "no-store")
                .putHeader("x-frame-options", "DENY");
    }
}
