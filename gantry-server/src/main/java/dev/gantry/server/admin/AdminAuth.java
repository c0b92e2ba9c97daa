package dev.gantry.server.admin;

import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.identity.Caller;
import dev.gantry.protocol.Dialect;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.http.ErrorResponder;
import dev.gantry.server.identity.Directory;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Guards every admin route: a valid key whose user is active, or 401. What the caller may then do
 * is each route's question, asked of the {@link Caller} this puts on the context.
 */
final class AdminAuth implements Handler<RoutingContext> {
    private static final String CALLER = "gantry.caller";
    private final Authenticator authenticator;
    private final Directory directory;

    AdminAuth(Authenticator authenticator, Directory directory) {
        this.authenticator = authenticator;
        this.directory = directory;
    }

    @Override
    public void handle(RoutingContext ctx) {
        authenticator.authenticate(ctx.request()).onComplete(result -> {
            if (result.failed()) {
                ErrorResponder.send(ctx.response(), Dialect.OPENAI, result.cause());
                return;
            }
            var caller = directory.callerFor(result.result());
            if (caller.isEmpty()) {
                ErrorResponder.send(ctx.response(), Dialect.OPENAI,
                        new GatewayException(ErrorCode.INVALID_API_KEY, "The user this key belongs to is suspended or deleted."));
                return;
            }
            ctx.put(CALLER, caller.get());
            ctx.next();
        });
    }

    static Caller caller(RoutingContext ctx) { return ctx.get(CALLER); }

    /** A route for owners and admins only. */
    static Handler<RoutingContext> adminsOnly() {
        return ctx -> {
            if (caller(ctx).isAdmin()) ctx.next();
            else ErrorResponder.send(ctx.response(), Dialect.OPENAI, Json.forbidden("This needs an owner or admin key."));
        };
    }

    /** A read-only route for owners, admins and viewers. */
    static Handler<RoutingContext> readersOfAll() {
        return ctx -> {
            if (caller(ctx).readsAll()) ctx.next();
            else ErrorResponder.send(ctx.response(), Dialect.OPENAI, Json.forbidden("This needs an owner, admin or viewer key."));
        };
    }
}
