package dev.gantry.server.admin;

import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.server.ConfigReloader;
import dev.gantry.server.admin.AuditTrail.Origin;
import dev.gantry.server.secrets.ProviderKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code /api/v1/providers/{name}/api-key}: an admin stores a provider's API key (encrypted; it
 * replaces the configuration file's key at once, on this node; other replicas at their next start)
 * or removes it. The key is never answered, logged or audited: the audit entry says only that it
 * was set.
 */
final class ProviderKeysApi {
    private final ProviderKeys keys;
    private final ConfigReloader reloader;
    private final AuditTrail audit;
    private final Vertx vertx;

    ProviderKeysApi(ProviderKeys keys, ConfigReloader reloader, AuditTrail audit, Vertx vertx) {
        this.keys = keys;
        this.reloader = reloader;
        this.audit = audit;
        this.vertx = vertx;
    }

    void put(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String provider = ctx.pathParam("name");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            JsonObject body = Json.body(ctx, Set.of("api_key"));
            String apiKey = Json.requiredString(body, "api_key", 4000);
            known(provider);
            if (!keys.canStore()) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "Storing provider keys needs a master key: "
                        + "start the gateway with GANTRY_MASTER_KEY set (openssl rand -base64 32).");
            }
            keys.put(provider, apiKey);
            reloader.providerKeysChanged(keys.load());
            JsonObject view = new JsonObject().put("provider", provider).put("api_key", "stored encrypted");
            audit.record(origin, "provider.api_key.set", "provider", provider, null, view);
            return view;
        }, false));
    }

    void delete(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String provider = ctx.pathParam("name");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            known(provider);
            if (!keys.delete(provider)) throw Json.notFound("stored key for provider", provider);
            reloader.providerKeysChanged(keys.load());
            audit.record(origin, "provider.api_key.delete", "provider", provider,
                    new JsonObject().put("provider", provider).put("api_key", "stored encrypted"), null);
            return new JsonObject().put("provider", provider).put("deleted", true);
        }, false));
    }

    private void known(String provider) {
        if (reloader.current().providers().stream().noneMatch(p -> p.name().equals(provider))) {
            throw Json.notFound("provider", provider);
        }
    }
}
