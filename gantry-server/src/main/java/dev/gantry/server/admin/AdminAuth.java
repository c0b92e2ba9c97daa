package dev.gantry.server.admin;

import dev.gantry.auth.ApiKey;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.identity.Caller;
import dev.gantry.protocol.Dialect;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.auth.ConsoleSessions;
import dev.gantry.server.http.ErrorResponder;
import dev.gantry.server.identity.Directory;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Guards every admin route: a valid key whose user is active, or 401. The key comes in a header,
 * or is the one a console session acts as ({@code x-gantry-session}, sent by the console's own
 * calls). What the caller may then do is each route's question, asked of the {@link Caller} this
 * puts on the context.
 */
final class AdminAuth implements Handler<RoutingContext> {
    static final String SESSION_HEADER = "x-gantry-session";
    /** The browser's address on a console call, and the console's proof of it: {@code address proof}. */
    static final String CLIENT_HEADER = "x-gantry-client";
    private static final String CALLER = "gantry.caller";
    private static final String CLIENT_ADDRESS = "gantry.client-address";
    private final Authenticator authenticator;
    private final Directory directory;
    private final ConsoleSessions sessions;

    AdminAuth(Authenticator authenticator, Directory directory, ConsoleSessions sessions) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.sessions = sessions;
    }

    @Override
    public void handle(RoutingContext ctx) {
        // the body handler comes after this check, so that no one unknown makes the gateway read a body;
        // a look-up that goes to the database must not let the body arrive before it is listening
        ctx.request().pause();
        String session = ctx.request().getHeader(SESSION_HEADER);
        Future<ApiKey> key = session == null ? authenticator.authenticate(ctx.request()) : sessionKey(ctx, session);
        key.onComplete(result -> {
            var caller = result.succeeded() ? directory.callerFor(result.result()) : Optional.<Caller>empty();
            if (caller.isEmpty()) {
                ctx.request().resume(); // answered now: the body is read and dropped
                ErrorResponder.send(ctx.response(), Dialect.OPENAI, result.failed() ? result.cause()
                        : new GatewayException(ErrorCode.INVALID_API_KEY, "The user this key belongs to is suspended or deleted."));
                return;
            }
            ctx.put(CALLER, caller.get());
            ctx.next();
        });
    }

    private Future<ApiKey> sessionKey(RoutingContext ctx, String session) {
        String client = ctx.request().getHeader(CLIENT_HEADER);
        if (client != null) {
            int space = client.indexOf(' ');
            if (space > 0 && sessions.addressProven(session, client.substring(0, space), client.substring(space + 1))) {
                ctx.put(CLIENT_ADDRESS, client.substring(0, space));
            }
        }
        return sessions.keyIdOf(session).compose(keyId -> keyId.isPresent() ? authenticator.authenticateKeyId(keyId.get())
                : Future.failedFuture(new GatewayException(ErrorCode.INVALID_API_KEY, "The console session has ended: log in again.")));
    }

    static Caller caller(RoutingContext ctx) { return ctx.get(CALLER); }

    /** Where the call came from: the browser's address for the console's calls, else the connection's. */
    static String clientAddress(RoutingContext ctx) {
        String proven = ctx.get(CLIENT_ADDRESS);
        if (proven != null) return proven;
        var remote = ctx.request().remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }

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
