package dev.gantry.server.http;

import dev.gantry.catalog.ModelCatalog;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.protocol.Dialect;
import dev.gantry.protocol.Endpoint;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.server.ConfigReloader;
import dev.gantry.server.admin.AdminRoutes;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.console.Console;
import dev.gantry.server.ops.GatewayMetrics;
import dev.gantry.server.ops.HealthRoutes;
import dev.gantry.server.policy.LimitsStep;
import dev.gantry.server.proxy.CapacityQueue;
import dev.gantry.server.proxy.BodyCapture;
import dev.gantry.server.proxy.ProxyHandler;
import dev.gantry.server.proxy.UpstreamClient;
import dev.gantry.server.telemetry.Tracing;
import dev.gantry.server.usage.UsageRecorder;
import dev.gantry.store.Database;
import dev.gantry.usage.TokenEstimator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One event loop's share of the gateway: an HTTP server (all instances share the port; Vert.x
 * spreads connections over them) and its own upstream client. Everything else is shared and
 * handed in by {@link Shared}.
 */
public final class GatewayVerticle extends VerticleBase {

    /** What every event loop shares: built once, in {@code Gateway}. */
    public record Shared(String host, long maxBodyBytes, Duration shutdownGrace, Supplier<ModelCatalog> catalog,
                         ConfigReloader reloader, Authenticator authenticator, AdminRoutes admin, Console console,
                         UsageRecorder recorder, GatewayMetrics metrics, Database database,
                         BooleanSupplier shuttingDown, Clock clock, TokenEstimator estimator, DeploymentPicker picker,
                         CapacityQueue capacity, LimitsStep limits, Tracing tracing, BodyCapture bodyCapture) {}

    private final Shared shared;
    private final int port;
    /**
     * Built here, on the deploying thread, not in {@link #start}: building a client takes the next
     * event loop for its pool cleaner, and Vert.x hands each instance the next loop as it creates
     * the instances while the first already starts. Taken from {@code start}, that loop was often the
     * next instance's, so every instance (and every connection) landed on one loop.
     */
    private final UpstreamClient upstream;
    private HttpServer server;
    private Thread eventLoop;

    public GatewayVerticle(Shared shared, int port, Vertx vertx) {
        this.shared = shared;
        this.port = port;
        this.upstream = new UpstreamClient(vertx);
    }

    @Override
    public Future<?> start() {
        eventLoop = Thread.currentThread();
        var proxy = new ProxyHandler(vertx, shared.authenticator(), shared.catalog(), shared.picker(), shared.capacity(), upstream, shared.recorder(),
                shared.metrics().inFlight(), shared.maxBodyBytes(), shared.clock(), shared.estimator(),
                shared.limits(), shared.tracing(), shared.bodyCapture());
        server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setCompressionSupported(false))
                .requestHandler(dispatch(proxy, router(proxy)));
        return server.listen(port, shared.host());
    }

    /** Stops accepting, lets in-flight requests (streams included) finish within the grace period. */
    @Override
    public Future<?> stop() {
        return server.shutdown(shared.shutdownGrace()).eventually(() -> upstream.close());
    }

    public int actualPort() { return server.actualPort(); }

    /** The event loop this instance's connections are served on. */
    public Thread eventLoop() { return eventLoop; }

    /**
     * Model calls go straight to the proxy: a router would make a routing context and match routes
     * for each, a few per cent of an event loop's time at saturation, for a decision that is one
     * map lookup. Everything else (other methods and paths, the admin API, the console, health,
     * 404 and 405 answers) goes through the router, which lists the model calls' paths too.
     */
    private static Handler<HttpServerRequest> dispatch(ProxyHandler proxy, Router router) {
        Map<String, Endpoint> modelCalls = new HashMap<>();
        for (Endpoint endpoint : Endpoint.values()) modelCalls.put(endpoint.path(), endpoint);
        return request -> {
            Endpoint endpoint = request.method() == HttpMethod.POST ? modelCalls.get(request.path()) : null;
            if (endpoint == null) {
                router.handle(request);
                return;
            }
            try {
                proxy.handle(request, endpoint);
            } catch (RuntimeException e) { // a bug: answered as a bare 500, as the router would, and logged there
                if (!request.response().headWritten()) ErrorResponder.send(request.response(), endpoint.dialect(), e);
            }
        };
    }

    private Router router(ProxyHandler proxy) {
        Router router = Router.router(vertx);
        for (Endpoint endpoint : Endpoint.values()) router.post(endpoint.path()).handler(ctx -> proxy.handle(ctx.request(), endpoint));
        router.get("/v1/models").handler(new ModelsRoute(shared.authenticator(), shared.catalog()));
        shared.admin().mount(router);
        shared.console().mount(router);
        HealthRoutes.mount(router, vertx, shared.database(), shared.shuttingDown(), shared.metrics());
        router.errorHandler(404, ctx -> routeError(ctx, ErrorCode.NOT_FOUND,
                "No such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(405, ctx -> routeError(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(500, ctx -> routeError(ctx, ErrorCode.INTERNAL, "Internal gateway error."));
        return router;
    }

    private static void routeError(RoutingContext ctx, ErrorCode code, String message) {
        Dialect dialect = ctx.request().path().startsWith("/v1/messages") ? Dialect.ANTHROPIC : Dialect.OPENAI;
        Throwable failure = ctx.failure();
        if (failure != null && !(failure instanceof GatewayException)) {
            ErrorResponder.send(ctx.response(), dialect, failure); // logged there, answered as a bare 500
            return;
        }
        ErrorResponder.send(ctx.response(), dialect, failure instanceof GatewayException g ? g : new GatewayException(code, message));
    }
}
