package dev.gantry.server.ops;

import dev.gantry.store.Database;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} answers while the process runs; {@code /health/ready} only while the store
 * answers and the gateway is not shutting down, so a load balancer stops sending it work in time.
 * {@code /metrics} is the Prometheus scrape.
 */
public final class HealthRoutes {
    private HealthRoutes() {}

    public static void mount(Router router, Vertx vertx, Database database, BooleanSupplier shuttingDown,
                             GatewayMetrics metrics) {
        router.get("/health/live").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end("{\"status\":\"up\"}"));
        router.get("/health/ready").handler(ctx -> {
            if (shuttingDown.getAsBoolean()) {
                ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
                        .end("{\"status\":\"shutting_down\"}");
                return;
            }
            vertx.executeBlocking(database::isReachable, false).onComplete(ar -> {
                boolean up = ar.succeeded() && ar.result();
                ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json")
                        .end(up ? "{\"status\":\"ready\"}" : "{\"status\":\"store_unreachable\"}");
            });
        });
        router.get("/metrics").handler(ctx -> vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.response().setStatusCode(500).end();
                return;
            }
            ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
        }));
    }
}
