package dev.gantry.server.admin;

import dev.gantry.identity.Caller;
import dev.gantry.identity.Ids;
import dev.gantry.identity.OrgRole;
import dev.gantry.identity.Quota;
import dev.gantry.identity.TeamRole;
import dev.gantry.identity.User;
import dev.gantry.identity.UserKind;
import dev.gantry.identity.UserStatus;
import dev.gantry.server.admin.AuditTrail.Origin;
import dev.gantry.server.auth.KeyCache;
import dev.gantry.server.identity.Directory;
import dev.gantry.store.ConflictException;
import dev.gantry.store.KeyFilter;
import dev.gantry.store.KeyRepository;
import dev.gantry.store.PageRequest;
import dev.gantry.store.UserFilter;
import dev.gantry.store.UserRepository;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/users} and {@code /api/v1/me}. Admins manage users (owners alone manage owners);
 * a team admin sees their teams' members and may set their budgets and limits; everyone sees
 * themselves.
 */
final class UsersApi {
    private static final Set<String> UPDATE_FIELDS = Json.fields(QuotaJson.FIELDS, "display_name", "status", "role");
    private static final Set<String> CREATE_FIELDS = Json.fields(UPDATE_FIELDS, "email", "kind");
    private static final String ROLES = "owner, admin, member, viewer";

    private final UserRepository users;
    private final KeyRepository keys;
    private final KeyCache keyCache;
    private final Directory directory;
    private final AuditTrail audit;
    private final Vertx vertx;
    private final Clock clock;

    UsersApi(UserRepository users, KeyRepository keys, KeyCache keyCache, Directory directory, AuditTrail audit, Vertx vertx,
             Clock clock) {
        this.users = users;
        this.keys = keys;
        this.keyCache = keyCache;
        this.directory = directory;
        this.audit = audit;
        this.vertx = vertx;
        this.clock = clock;
    }

    void me(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        // what the caller may do, as Caller decides it: the console shows its menus by this, not by rules of its own
        var may = new JsonObject().put("administer_all", caller.isAdmin()).put("read_all", caller.readsAll())
                .put("administer_teams", caller.administersSomeTeam());
        var me = new JsonObject().put("object", "caller").put("key_id", caller.keyId()).put("role", caller.role().dbName())
                .put("may", may).put("user", directory.user(caller.userId()).map(this::view).orElse(null));
        Json.reply(ctx, 200, io.vertx.core.Future.succeededFuture(me));
    }

    void create(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        Json.reply(ctx, 201, vertx.executeBlocking(() -> {
            JsonObject body = Json.body(ctx, CREATE_FIELDS);
            UserKind kind = orElse(Json.optionalEnum(body, "kind", UserKind::fromName, "human, service"), UserKind.HUMAN);
            String email = Json.optionalString(body, "email", 320);
            if (kind == UserKind.HUMAN && email == null) throw Json.invalid("email", "is required for a human user");
            if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) throw Json.invalid("email", "is not an email address");
            String name = body.containsKey("display_name") ? Json.requiredString(body, "display_name", 200)
                    : email != null ? email : null;
            if (name == null) throw Json.invalid("display_name", "is required for a service account without an email");
            OrgRole role = orElse(Json.optionalEnum(body, "role", OrgRole::fromName, ROLES), OrgRole.MEMBER);
            if (!origin.caller().mayAssign(OrgRole.MEMBER, role)) throw Json.forbidden("Only an owner may make an owner.");
            UserStatus status = orElse(Json.optionalEnum(body, "status", UserStatus::fromName, "active, suspended"),
                    UserStatus.ACTIVE);
            Instant now = clock.instant();
            var user = new User(Ids.user(), email, name, status, role, kind, QuotaJson.read(body, Quota.NONE), now, now);
            try {
                users.insert(user);
            } catch (ConflictException e) {
                throw Json.invalid("email", "is already in use");
            }
            directory.putUserWithMemberships(user);
            JsonObject view = view(user);
            audit.record(origin, "user.create", "user", user.id(), null, view);
            return view;
        }, false));
    }

    void list(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        var q = ctx.queryParams();
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            var page = Json.page(ctx);
            var filter = new UserFilter(q.get("search"), enumParam(q.get("status"), UserStatus::fromName, "status"),
                    enumParam(q.get("role"), OrgRole::fromName, "role"), enumParam(q.get("kind"), UserKind::fromName, "kind"),
                    q.get("team_id"));
            if (!caller.readsAll()) {
                // a team admin lists the members of one of their teams; anyone else only themselves (see /me)
                if (filter.teamId() == null || !caller.administersTeam(filter.teamId())) {
                    throw Json.forbidden("List users of a team you administer with ?team_id=, or read /api/v1/me.");
                }
            }
            var found = users.list(filter, page);
            var data = new JsonArray();
            found.items().forEach(u -> data.add(view(u)));
            return Json.list(data, found.hasMore());
        }, false));
    }

    void show(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> view(readableUser(caller, id)), false));
    }

    void update(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            Caller caller = origin.caller();
            JsonObject body = Json.body(ctx, UPDATE_FIELDS);
            User user = readableUser(caller, id);
            boolean onlyLimits = QuotaJson.FIELDS.containsAll(body.fieldNames());
            boolean allowed = caller.isAdmin() ? caller.mayAssign(user.role(), user.role())
                    : onlyLimits && !caller.isSelf(id) && caller.administersMemberOf(teamsOf(id));
            if (!allowed) throw Json.forbidden("You may not change this user" + (onlyLimits ? "." : "; a team admin sets limits only."));
            OrgRole role = body.containsKey("role") ? Json.optionalEnum(body, "role", OrgRole::fromName, ROLES) : user.role();
            if (role == null) throw Json.invalid("role", "must be one of " + ROLES);
            if (role != user.role() && !caller.mayAssign(user.role(), role)) {
                throw Json.forbidden("Only an owner may make or change an owner.");
            }
            if (caller.isSelf(id) && role != user.role()) throw Json.invalid("role", "you cannot change your own role");
            UserStatus status = body.containsKey("status")
                    ? Json.optionalEnum(body, "status", UserStatus::fromName, "active, suspended") : user.status();
            if (status == null) throw Json.invalid("status", "must be active or suspended");
            if (caller.isSelf(id) && status != UserStatus.ACTIVE) throw Json.invalid("status", "you cannot suspend yourself");
            String name = body.containsKey("display_name") ? Json.requiredString(body, "display_name", 200) : user.displayName();
            Instant now = clock.instant();
            var changed = new User(id, user.email(), name, status, role, user.kind(), QuotaJson.read(body, user.quota()),
                    user.createdAt(), now);
            users.update(changed);
            directory.putUserWithMemberships(changed);
            JsonObject after = view(changed);
            audit.record(origin, "user.update", "user", id, view(user), after);
            return after;
        }, false));
    }

    /** Deletes the user; their keys are revoked in the same transaction. */
    void delete(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            User user = users.findById(id).orElseThrow(() -> Json.notFound("user", id));
            if (!origin.caller().mayAssign(user.role(), user.role())) throw Json.forbidden("Only an owner may delete an owner.");
            if (origin.caller().isSelf(id)) throw Json.invalid("id", "you cannot delete yourself");
            JsonObject before = view(user);
            users.delete(id, clock.instant());
            directory.removeUser(id);
            for (var page = PageRequest.first(1000); ; page = page.next()) { // the revoked keys, into this node's cache now
                var found = keys.list(KeyFilter.ofUser(id), page);
                found.items().forEach(keyCache::put);
                if (!found.hasMore()) break;
            }
            audit.record(origin, "user.delete", "user", id, before, null);
            return new JsonObject().put("id", id).put("deleted", true);
        }, false));
    }

    private User readableUser(Caller caller, String id) {
        return directory.user(id).or(() -> users.findById(id))
                .filter(u -> caller.readsUser(u.id(), teamsOf(u.id())))
                .orElseThrow(() -> Json.notFound("user", id));
    }

    private Set<String> teamsOf(String userId) { return directory.teamsOf(userId).keySet(); }

    JsonObject view(User u) {
        var teams = new JsonArray();
        for (Map.Entry<String, TeamRole> m : directory.teamsOf(u.id()).entrySet()) {
            teams.add(new JsonObject().put("team_id", m.getKey()).put("role", m.getValue().dbName()));
        }
        var view = new JsonObject().put("id", u.id()).put("object", "user").put("email", u.email())
                .put("display_name", u.displayName()).put("status", u.status().dbName()).put("role", u.role().dbName())
                .put("kind", u.kind().dbName()).put("teams", teams)
                .put("created_at", Json.time(u.createdAt())).put("updated_at", Json.time(u.updatedAt()));
        return QuotaJson.write(u.quota(), view);
    }

    private static <E extends Enum<E>> E enumParam(String value, java.util.function.Function<String, java.util.Optional<E>> parse,
                                                   String name) {
        if (value == null || value.isBlank()) return null;
        return parse.apply(value).orElseThrow(() -> Json.invalid(name, "unknown value '" + value + "'"));
    }

    private static <T> T orElse(T value, T fallback) { return value == null ? fallback : value; }

}
