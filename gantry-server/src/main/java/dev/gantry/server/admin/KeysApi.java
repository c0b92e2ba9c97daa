package dev.gantry.server.admin;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySecrets;
import dev.gantry.auth.KeySettings;
import dev.gantry.auth.Role;
import dev.gantry.identity.Caller;
import dev.gantry.identity.Quota;
import dev.gantry.identity.User;
import dev.gantry.server.admin.AuditTrail.Origin;
import dev.gantry.server.auth.KeyCache;
import dev.gantry.server.auth.KeyIds;
import dev.gantry.server.identity.Directory;
import dev.gantry.store.KeyFilter;
import dev.gantry.store.KeyRepository;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * {@code /api/v1/keys}: create (the secret is in the answer, once), list, show, change, rotate,
 * revoke. A key belongs to a user and may spend for one of that user's teams; the user themselves,
 * a team admin of one of their teams, or an admin manages it ({@link Caller#managesKeysOf}).
 */
final class KeysApi {
    private static final Set<String> SETTINGS_FIELDS = Json.fields(QuotaJson.FIELDS,
            "name", "models", "expires_at", "team_id", "metadata");
    private static final Set<String> CREATE_FIELDS = Json.fields(SETTINGS_FIELDS, "user_id", "role");
    private static final long MAX_GRACE_SECONDS = Duration.ofDays(30).toSeconds();

    private final KeyRepository keys;
    private final KeyCache cache;
    private final Directory directory;
    private final KeyAccess access;
    private final AuditTrail audit;
    private final Vertx vertx;
    private final Clock clock;

    KeysApi(KeyRepository keys, KeyCache cache, Directory directory, KeyAccess access, AuditTrail audit, Vertx vertx, Clock clock) {
        this.keys = keys;
        this.cache = cache;
        this.directory = directory;
        this.access = access;
        this.audit = audit;
        this.vertx = vertx;
        this.clock = clock;
    }

    void create(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        Json.reply(ctx, 201, vertx.executeBlocking(() -> {
            Caller caller = origin.caller();
            JsonObject body = Json.body(ctx, CREATE_FIELDS);
            // without user_id a member makes a key for themselves; an admin without a user makes a key of no user
            String userId = Json.optionalString(body, "user_id", 40);
            if (userId == null) userId = caller.userId();
            Role role = legacyRole(body, caller, userId);
            if (userId != null) {
                User owner = directory.user(userId).orElseThrow(() -> Json.invalid("user_id", "no such user"));
                if (!caller.managesKeysOf(owner.id(), teamsOf(owner.id()))) {
                    throw Json.forbidden("You may not create keys for this user.");
                }
            } else if (!caller.isAdmin()) {
                throw Json.forbidden("Only an owner or admin makes keys that belong to no user.");
            }
            Instant now = clock.instant();
            KeySettings settings = settings(body, new KeySettings("", java.util.List.of(), null, null, null, Quota.NONE),
                    userId, now, true);
            String secret = KeySecrets.newSecret();
            var key = new ApiKey(KeyIds.next(), settings.name(), KeySecrets.hash(secret), KeySecrets.displayPrefix(secret),
                    role, settings.models(), now, settings.expiresAt(), null, userId, settings.teamId(), settings.metadata(),
                    null, settings.quota(), null, null);
            keys.insert(key);
            cache.put(key);
            JsonObject view = view(key, now);
            audit.record(origin, "key.create", "key", key.id(), null, view);
            return view.copy().put("key", secret);
        }, false));
    }

    void list(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        String userId = ctx.queryParams().get("user_id"), teamId = ctx.queryParams().get("team_id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            var page = Json.page(ctx);
            // what a caller may not read is filtered out below, so a page can come back short: has_more still says
            // whether the store holds more, which is all paging needs
            var found = keys.list(new KeyFilter(userId, teamId), page);
            Instant now = clock.instant();
            var data = new JsonArray();
            for (ApiKey k : found.items()) if (access.reads(caller, k)) data.add(view(k, now));
            return Json.list(data, found.hasMore());
        }, false));
    }

    void show(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> view(readableKey(caller, id), clock.instant()), false));
    }

    void update(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            JsonObject body = Json.body(ctx, SETTINGS_FIELDS);
            ApiKey key = managedKey(origin.caller(), id);
            Instant now = clock.instant();
            KeySettings settings = settings(body, key.settings(), key.userId(), now, false);
            keys.update(id, settings, now);
            ApiKey updated = reload(id);
            JsonObject before = view(key, now), after = view(updated, now);
            audit.record(origin, "key.update", "key", id, before, after);
            return after;
        }, false));
    }

    /** A new secret with the same settings; the old one keeps working for {@code grace_seconds} (0 by default). */
    void rotate(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            JsonObject body = ctx.body().length() == 0 ? new JsonObject() : Json.body(ctx, Set.of("grace_seconds"));
            long grace = java.util.Objects.requireNonNullElse(Json.optionalLong(body, "grace_seconds", 0, MAX_GRACE_SECONDS), 0L);
            ApiKey key = managedKey(origin.caller(), id);
            if (key.revokedAt() != null) throw Json.invalid("id", "a revoked key cannot be rotated");
            Instant now = clock.instant();
            String secret = KeySecrets.newSecret();
            keys.rotate(id, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), grace == 0 ? null : now.plusSeconds(grace), now);
            ApiKey rotated = reload(id);
            JsonObject before = view(key, now), after = view(rotated, now);
            audit.record(origin, "key.rotate", "key", id, before, after);
            return after.copy().put("key", secret)
                    .put("previous_valid_until", Json.time(rotated.previousValidUntil()));
        }, false));
    }

    void revoke(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            ApiKey key = managedKey(origin.caller(), id);
            if (key.id().equals(origin.caller().keyId())) {
                throw Json.invalid("id", "a key cannot revoke itself; use another key");
            }
            if (key.role() == Role.OWNER && key.userId() == null && origin.caller().role() != dev.gantry.identity.OrgRole.OWNER) {
                throw Json.forbidden("Only an owner may revoke an owner key.");
            }
            Instant now = clock.instant();
            keys.revoke(id, now);
            ApiKey revoked = reload(id);
            audit.record(origin, "key.revoke", "key", id, view(key, now), view(revoked, now));
            return new JsonObject().put("id", id).put("revoked", true);
        }, false));
    }

    private KeySettings settings(JsonObject body, KeySettings current, String userId, Instant now, boolean creating) {
        String name = creating || body.containsKey("name") ? Json.requiredString(body, "name", 200) : current.name();
        var models = body.containsKey("models") ? Json.optionalStrings(body, "models") : current.models();
        Instant expiresAt = body.containsKey("expires_at") ? Json.optionalInstant(body, "expires_at") : current.expiresAt();
        if (body.containsKey("expires_at") && expiresAt != null && !expiresAt.isAfter(now)) {
            throw Json.invalid("expires_at", "must be in the future");
        }
        String teamId = body.containsKey("team_id") ? Json.optionalString(body, "team_id", 40) : current.teamId();
        if (body.containsKey("team_id") && teamId != null) {
            if (userId == null) throw Json.invalid("team_id", "only a key that belongs to a user may spend for a team");
            if (!directory.teamsOf(userId).containsKey(teamId)) throw Json.invalid("team_id", "the key's user is not in this team");
        }
        var metadata = body.containsKey("metadata") ? Json.optionalTags(body, "metadata") : current.metadata();
        return new KeySettings(name, models, expiresAt, teamId, metadata, QuotaJson.read(body, current.quota()));
    }

    /** Keys made before users existed carry a role; new keys take their user's, so only an owner may still ask for one. */
    private static Role legacyRole(JsonObject body, Caller caller, String userId) {
        Object value = body.getValue("role");
        if (value == null) return Role.MEMBER;
        if (!(value instanceof String s) || !(s.equals("member") || s.equals("admin"))) {
            throw Json.invalid("role", "must be 'member' or 'admin'");
        }
        if (s.equals("admin") && (caller.role() != dev.gantry.identity.OrgRole.OWNER || userId != null)) {
            throw Json.forbidden("Only an owner may create admin keys, and only keys that belong to no user.");
        }
        return Role.fromName(s).orElseThrow();
    }

    private ApiKey readableKey(Caller caller, String id) {
        return keys.findById(id).filter(k -> access.reads(caller, k)).orElseThrow(() -> Json.notFound("key", id));
    }

    private ApiKey managedKey(Caller caller, String id) {
        ApiKey key = readableKey(caller, id);
        if (!access.manages(caller, key)) throw Json.forbidden("You may read this key but not change it.");
        return key;
    }

    private Set<String> teamsOf(String userId) { return directory.teamsOf(userId).keySet(); }

    private ApiKey reload(String id) {
        ApiKey key = keys.findById(id).orElseThrow(() -> Json.notFound("key", id));
        cache.put(key);
        return key;
    }

    static JsonObject view(ApiKey k, Instant now) {
        String status = k.revokedAt() != null ? "revoked" : k.isUsableAt(now) ? "active" : "expired";
        var view = new JsonObject()
                .put("id", k.id()).put("object", "key").put("name", k.name()).put("display_prefix", k.displayPrefix())
                .put("user_id", k.userId()).put("team_id", k.teamId())
                .put("role", k.role().dbName()).put("models", new JsonArray(k.models())).put("status", status)
                .put("metadata", new JsonObject(new java.util.TreeMap<String, Object>(k.metadata())))
                .put("created_at", Json.time(k.createdAt())).put("expires_at", Json.time(k.expiresAt()))
                .put("revoked_at", Json.time(k.revokedAt())).put("last_used_at", Json.time(k.lastUsedAt()));
        return QuotaJson.write(k.quota(), view);
    }
}
