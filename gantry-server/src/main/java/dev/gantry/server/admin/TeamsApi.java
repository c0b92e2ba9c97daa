package dev.gantry.server.admin;

import dev.gantry.identity.Caller;
import dev.gantry.identity.Ids;
import dev.gantry.identity.Membership;
import dev.gantry.identity.Quota;
import dev.gantry.identity.Team;
import dev.gantry.identity.TeamRole;
import dev.gantry.server.admin.AuditTrail.Origin;
import dev.gantry.server.identity.Directory;
import dev.gantry.store.ConflictException;
import dev.gantry.store.MembershipRepository;
import dev.gantry.store.TeamFilter;
import dev.gantry.store.TeamRepository;
import dev.gantry.store.UserRepository;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * {@code /api/v1/teams} and their members. Admins create and delete teams; a team's admins change
 * its name, limits and memberships; its members read it.
 */
final class TeamsApi {
    private static final Set<String> FIELDS = Json.fields(QuotaJson.FIELDS, "name", "description", "capture_bodies");

    private final TeamRepository teams;
    private final MembershipRepository memberships;
    private final UserRepository users;
    private final Directory directory;
    private final AuditTrail audit;
    private final Vertx vertx;
    private final Clock clock;

    TeamsApi(TeamRepository teams, MembershipRepository memberships, UserRepository users, Directory directory,
             AuditTrail audit, Vertx vertx, Clock clock) {
        this.teams = teams;
        this.memberships = memberships;
        this.users = users;
        this.directory = directory;
        this.audit = audit;
        this.vertx = vertx;
        this.clock = clock;
    }

    void create(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        Json.reply(ctx, 201, vertx.executeBlocking(() -> {
            JsonObject body = Json.body(ctx, FIELDS);
            Instant now = clock.instant();
            var team = new Team(Ids.team(), Json.requiredString(body, "name", 200),
                    Json.optionalString(body, "description", 2000), QuotaJson.read(body, Quota.NONE),
                    Json.optionalBoolean(body, "capture_bodies", false), now, now);
            try {
                teams.insert(team);
            } catch (ConflictException e) {
                throw Json.invalid("name", "is already in use");
            }
            directory.put(team);
            JsonObject view = view(team);
            audit.record(origin, "team.create", "team", team.id(), null, view);
            return view;
        }, false));
    }

    void list(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        String search = ctx.queryParams().get("search");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            var page = Json.page(ctx);
            // everyone else lists the teams they are in
            var found = teams.list(new TeamFilter(search, caller.readsAll() ? null : caller.userId() == null ? "" : caller.userId()), page);
            var data = new JsonArray();
            found.items().forEach(t -> data.add(view(t)));
            return Json.list(data, found.hasMore());
        }, false));
    }

    void show(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> view(readableTeam(caller, id)), false));
    }

    void update(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            JsonObject body = Json.body(ctx, FIELDS);
            Team team = administeredTeam(origin.caller(), id);
            String name = body.containsKey("name") ? Json.requiredString(body, "name", 200) : team.name();
            String description = body.containsKey("description") ? Json.optionalString(body, "description", 2000) : team.description();
            boolean capture = Json.optionalBoolean(body, "capture_bodies", team.captureBodies());
            var changed = new Team(id, name, description, QuotaJson.read(body, team.quota()), capture, team.createdAt(),
                    clock.instant());
            try {
                teams.update(changed);
            } catch (ConflictException e) {
                throw Json.invalid("name", "is already in use");
            }
            directory.put(changed);
            JsonObject after = view(changed);
            audit.record(origin, "team.update", "team", id, view(team), after);
            return after;
        }, false));
    }

    void delete(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            Team team = teams.findById(id).orElseThrow(() -> Json.notFound("team", id));
            teams.delete(id, clock.instant());
            directory.removeTeam(id);
            audit.record(origin, "team.delete", "team", id, view(team), null);
            return new JsonObject().put("id", id).put("deleted", true);
        }, false));
    }

    void members(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        String id = ctx.pathParam("id");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            var page = Json.page(ctx);
            readableTeam(caller, id);
            var found = memberships.members(id, page);
            var data = new JsonArray();
            found.items().forEach(m -> data.add(view(m)));
            return Json.list(data, found.hasMore());
        }, false));
    }

    /** Adds the user to the team, or changes their role in it. */
    void putMember(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id"), userId = ctx.pathParam("userId");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            JsonObject body = ctx.body().length() == 0 ? new JsonObject() : Json.body(ctx, Set.of("role"));
            TeamRole role = Json.optionalEnum(body, "role", TeamRole::fromName, "member, team_admin");
            if (role == null) role = TeamRole.MEMBER;
            administeredTeam(origin.caller(), id);
            users.findById(userId).orElseThrow(() -> Json.notFound("user", userId));
            Instant now = clock.instant();
            var before = memberships.find(id, userId);
            if (before.isPresent()) memberships.changeRole(id, userId, role, now);
            else memberships.add(new Membership(id, userId, role, now));
            users.findById(userId).ifPresent(directory::putUserWithMemberships);
            var after = view(memberships.find(id, userId).orElseThrow());
            audit.record(origin, before.isPresent() ? "team.member.change" : "team.member.add", "team", id,
                    before.map(TeamsApi::view).orElse(null), after);
            return after;
        }, false));
    }

    void removeMember(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String id = ctx.pathParam("id"), userId = ctx.pathParam("userId");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            administeredTeam(origin.caller(), id);
            Membership before = memberships.find(id, userId).orElseThrow(() -> Json.notFound("member of this team", userId));
            memberships.remove(id, userId, clock.instant());
            users.findById(userId).ifPresent(directory::putUserWithMemberships);
            audit.record(origin, "team.member.remove", "team", id, view(before), null);
            return new JsonObject().put("team_id", id).put("user_id", userId).put("removed", true);
        }, false));
    }

    private Team readableTeam(Caller caller, String id) {
        return teams.findById(id).filter(t -> caller.readsTeam(t.id())).orElseThrow(() -> Json.notFound("team", id));
    }

    private Team administeredTeam(Caller caller, String id) {
        Team team = readableTeam(caller, id);
        if (!caller.administersTeam(id)) throw Json.forbidden("Only an admin or a team admin of this team may change it.");
        return team;
    }

    private static JsonObject view(Team t) {
        var view = new JsonObject().put("id", t.id()).put("object", "team").put("name", t.name())
                .put("description", t.description()).put("capture_bodies", t.captureBodies())
                .put("created_at", Json.time(t.createdAt())).put("updated_at", Json.time(t.updatedAt()));
        return QuotaJson.write(t.quota(), view);
    }

    private static JsonObject view(Membership m) {
        return new JsonObject().put("object", "team.member").put("team_id", m.teamId()).put("user_id", m.userId())
                .put("role", m.role().dbName()).put("created_at", Json.time(m.createdAt()));
    }
}
