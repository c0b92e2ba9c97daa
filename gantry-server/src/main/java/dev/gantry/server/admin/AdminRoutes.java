package dev.gantry.server.admin;

import dev.gantry.catalog.ModelCatalog;
import dev.gantry.config.ConfigException;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.server.ConfigReloader;
import dev.gantry.usage.SelfHostedCost;
import io.vertx.core.json.JsonObject;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.auth.KeyCache;
import dev.gantry.store.KeyRepository;
import dev.gantry.store.UsageRepository;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.function.Supplier;

/** Mounts the admin API under {@code /api/v1}. Every route but the OpenAPI document needs an admin key. */
public final class AdminRoutes {
    private static final long MAX_ADMIN_BODY = 1 << 20;

    private AdminRoutes() {}

    public static void mount(Router router, Vertx vertx, Authenticator authenticator, KeyRepository keyRepository,
                             KeyCache keyCache, UsageRepository usageRepository, Supplier<ModelCatalog> catalog,
                             DeploymentPicker picker, SelfHostedCost selfHosted, ConfigReloader reloader, Clock clock) {
        Buffer openApi = openApiDocument();
        router.get("/api/v1/openapi.json").handler(ctx ->
                ctx.response().putHeader("content-type", "application/json").end(openApi));

        var keys = new KeysApi(keyRepository, keyCache, vertx, clock);
        var usage = new UsageApi(usageRepository, vertx, clock);
        var auth = new AdminAuth(authenticator);
        router.route("/api/v1/*").handler(auth);
        router.post("/api/v1/keys").handler(BodyHandler.create(false).setBodyLimit(MAX_ADMIN_BODY)).handler(keys::create);
        router.get("/api/v1/keys").handler(keys::list);
        router.delete("/api/v1/keys/:id").handler(keys::revoke);
        router.get("/api/v1/usage").handler(usage::totals);
        router.get("/api/v1/usage/requests/:requestId").handler(usage::request);
        router.get("/api/v1/deployments").handler(new DeploymentsApi(catalog, picker, selfHosted, clock)::list);
        router.post("/api/v1/config/reload").handler(ctx -> Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            if (!reloader.hasFile()) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "The gateway was started without a configuration file.");
            }
            try {
                var applied = reloader.reload();
                return new JsonObject().put("reloaded", true).put("providers", applied.providers().size())
                        .put("models", applied.catalog().all().size());
            } catch (ConfigException e) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "The configuration was not applied: " + e.getMessage());
            }
        }, false)));
    }

    private static Buffer openApiDocument() {
        try (InputStream in = AdminRoutes.class.getResourceAsStream("/openapi.json")) {
            if (in == null) throw new IllegalStateException("openapi.json is missing from the jar");
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
