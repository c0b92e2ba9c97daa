package dev.gantry.server.admin;

import dev.gantry.auth.ApiKey;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.protocol.Dialect;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.http.ErrorResponder;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Guards every admin route: a valid key whose role may administer, or 401/403. */
final class AdminAuth implements Handler<RoutingContext> {
    private static final String CALLER = "gantry.caller";
    private final Authenticator authenticator;

    AdminAuth(Authenticator authenticator) { this.authenticator = authenticator; }

    @Override
    public void handle(RoutingContext ctx) {
        authenticator.authenticate(ctx.request()).onComplete(result -> {
            if (result.failed()) {
                ErrorResponder.send(ctx.response(), Dialect.OPENAI, result.cause());
            } else if (!result.result().role().canAdminister()) {
                ErrorResponder.send(ctx.response(), Dialect.OPENAI,
                        new GatewayException(ErrorCode.FORBIDDEN, "This key may not use the admin API."));
            } else {
                ctx.put(CALLER, result.result());
                ctx.next();
            }
        });
    }

    static ApiKey caller(RoutingContext ctx) { return ctx.get(CALLER); }
}
