package dev.gantry.server.admin;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySecrets;
import dev.gantry.auth.Role;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.server.auth.KeyCache;
import dev.gantry.server.auth.KeyIds;
import dev.gantry.store.KeyRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** {@code /api/v1/keys}: create (the secret is in the answer, once), list, revoke. */
final class KeysApi {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "models", "role", "expires_at");

    private final KeyRepository keys;
    private final KeyCache cache;
    private final Vertx vertx;
    private final Clock clock;

    KeysApi(KeyRepository keys, KeyCache cache, Vertx vertx, Clock clock) {
        this.keys = keys;
        this.cache = cache;
        this.vertx = vertx;
        this.clock = clock;
    }

    void create(RoutingContext ctx) {
        Future<JsonObject> result;
        try {
            JsonObject body = Json.body(ctx, CREATE_FIELDS);
            String name = Json.requiredString(body, "name", 200);
            var models = Json.optionalStrings(body, "models");
            Role role = role(body, AdminAuth.caller(ctx));
            Instant now = clock.instant();
            Instant expiresAt = Json.optionalInstant(body, "expires_at");
            if (expiresAt != null && !expiresAt.isAfter(now)) throw Json.invalid("expires_at", "must be in the future");
            String secret = KeySecrets.newSecret();
            var key = new ApiKey(KeyIds.next(), name, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), role,
                    models, now, expiresAt, null);
            result = vertx.executeBlocking(() -> {
                keys.insert(key);
                cache.put(key);
                return view(key, now).put("key", secret);
            }, false);
        } catch (GatewayException e) {
            result = Future.failedFuture(e);
        }
        Json.reply(ctx, 201, result);
    }

    void list(RoutingContext ctx) {
        Instant now = clock.instant();
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            var data = new JsonArray();
            keys.list().forEach(k -> data.add(view(k, now)));
            return new JsonObject().put("object", "list").put("data", data);
        }, false));
    }

    void revoke(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ApiKey caller = AdminAuth.caller(ctx);
        Instant now = clock.instant();
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            ApiKey key = keys.findById(id).orElseThrow(() -> new GatewayException(ErrorCode.NOT_FOUND, "No key with id '" + id + "'."));
            if (key.id().equals(caller.id())) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "A key cannot revoke itself; use another admin key.");
            }
            if (key.role() == Role.OWNER && caller.role() != Role.OWNER) {
                throw new GatewayException(ErrorCode.FORBIDDEN, "Only an owner may revoke an owner key.");
            }
            keys.revoke(id, now);
            keys.findById(id).ifPresent(cache::put);
            return new JsonObject().put("id", id).put("revoked", true);
        }, false));
    }

    private static Role role(JsonObject body, ApiKey caller) {
        Object value = body.getValue("role");
        if (value == null) return Role.MEMBER;
        if (!(value instanceof String s) || !(s.equals("member") || s.equals("admin"))) {
            throw Json.invalid("role", "must be 'member' or 'admin'");
        }
        if (s.equals("admin") && caller.role() != Role.OWNER) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "Only an owner may create admin keys.");
        }
        return Role.fromName(s).orElseThrow();
    }

    private static JsonObject view(ApiKey k, Instant now) {
        String status = k.revokedAt() != null ? "revoked" : k.isUsableAt(now) ? "active" : "expired";
        return new JsonObject()
                .put("id", k.id()).put("object", "key").put("name", k.name()).put("display_prefix", k.displayPrefix())
                .put("role", k.role().dbName()).put("models", new JsonArray(k.models())).put("status", status)
                .put("created_at", k.createdAt().toString())
                .put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString())
                .put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
    }
}
