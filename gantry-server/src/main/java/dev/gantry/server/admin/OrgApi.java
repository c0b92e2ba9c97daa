package dev.gantry.server.admin;

import dev.gantry.identity.Caller;
import dev.gantry.identity.OrgSettings;
import dev.gantry.identity.Quota;
import dev.gantry.limits.BudgetLedger;
import dev.gantry.limits.BudgetSnapshot;
import dev.gantry.limits.Scope;
import dev.gantry.server.admin.AuditTrail.Origin;
import dev.gantry.server.identity.Directory;
import dev.gantry.store.KeyRepository;
import dev.gantry.store.OrgSettingsRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code /api/v1/org}: the organisation's own budget and limits; {@code /api/v1/budgets}: how much
 * of a budget is spent and reserved now, as this node's ledger counts it.
 */
final class OrgApi {
    private final OrgSettingsRepository org;
    private final KeyRepository keys;
    private final Directory directory;
    private final KeyAccess access;
    private final BudgetLedger ledger;
    private final AuditTrail audit;
    private final Vertx vertx;
    private final Clock clock;

    OrgApi(OrgSettingsRepository org, KeyRepository keys, Directory directory, KeyAccess access, BudgetLedger ledger,
           AuditTrail audit, Vertx vertx, Clock clock) {
        this.org = org;
        this.keys = keys;
        this.directory = directory;
        this.access = access;
        this.ledger = ledger;
        this.audit = audit;
        this.vertx = vertx;
        this.clock = clock;
    }

    void show(RoutingContext ctx) {
        Json.reply(ctx, 200, vertx.executeBlocking(() -> view(org.get()), false));
    }

    void update(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            JsonObject body = Json.body(ctx, QuotaJson.FIELDS);
            OrgSettings before = org.get();
            Quota quota = QuotaJson.read(body, before.quota());
            org.update(quota, clock.instant());
            OrgSettings after = org.get();
            directory.putOrg(after);
            audit.record(origin, "org.update", "org", "org", view(before), view(after));
            return view(after);
        }, false));
    }

    /** {@code ?scope=key|user|team|org&id=}; without a scope, the caller's own key. */
    void budgets(RoutingContext ctx) {
        Caller caller = AdminAuth.caller(ctx);
        String scopeName = ctx.queryParams().get("scope"), id = ctx.queryParams().get("id");
        Future<JsonObject> result;
        try {
            Scope scope = scope(scopeName == null ? "key" : scopeName, scopeName == null ? caller.keyId() : id);
            result = vertx.executeBlocking(() -> {
                checkReadable(caller, scope);
                Instant now = clock.instant();
                var data = new JsonArray();
                ledger.snapshot(scope, now).ifPresent(s -> data.add(view(s)));
                return Json.list(data, false);
            }, false);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        Json.reply(ctx, 200, result);
    }

    private static Scope scope(String type, String id) {
        Scope.Type t;
        try {
            t = Scope.Type.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Json.invalid("scope", "must be one of key, user, team, org");
        }
        if (t == Scope.Type.MODEL) throw Json.invalid("scope", "must be one of key, user, team, org");
        if (t == Scope.Type.ORG) return Scope.ORG;
        if (id == null || id.isBlank()) throw Json.invalid("id", "is required for scope " + type);
        return new Scope(t, id);
    }

    private void checkReadable(Caller caller, Scope scope) {
        boolean readable = switch (scope.type()) {
            case ORG -> caller.readsAll();
            case TEAM -> caller.readsTeam(scope.id());
            case USER -> caller.readsUser(scope.id(), directory.teamsOf(scope.id()).keySet());
            case KEY -> scope.id().equals(caller.keyId()) || keys.findById(scope.id()).map(k -> access.reads(caller, k)).orElse(false);
            case MODEL -> false;
        };
        if (!readable) throw Json.notFound(scope.type().name().toLowerCase(Locale.ROOT), scope.id());
    }

    private static JsonObject view(OrgSettings s) {
        return QuotaJson.write(s.quota(), new JsonObject().put("object", "org").put("updated_at", Json.time(s.updatedAt())));
    }

    private static JsonObject view(BudgetSnapshot s) {
        var view = new JsonObject().put("object", "budget").put("scope", s.scope().type().name().toLowerCase(Locale.ROOT))
                .put("id", s.scope().id()).put("period", s.period().dbName())
                .put("window_start", Json.time(s.windowStart())).put("resets_at", s.resetAt().map(Instant::toString).orElse(null))
                .put("spent_usd", Json.usd(s.spentNanos())).put("reserved_usd", Json.usd(s.reservedNanos()))
                .put("spent_tokens", s.spentTokens()).put("reserved_tokens", s.reservedTokens());
        s.limit().ifPresent(l -> view.put("budget_usd", Json.usd(l.usdNanos())).put("budget_tokens", l.tokens()));
        return view;
    }
}
