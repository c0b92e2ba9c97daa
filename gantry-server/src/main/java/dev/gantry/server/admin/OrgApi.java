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
import java.util.Optional;

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
                var counted = ledger.snapshot(scope, now);
                if (counted.isPresent()) data.add(view(counted.get()));
                else configured(scope).filter(Quota::hasBudget).ifPresent(q -> data.add(unused(scope, q, now)));
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

    /** The budget a scope is given, whether or not a request has been counted against it yet. */
    private Optional<Quota> configured(Scope scope) {
        return switch (scope.type()) {
            case ORG -> Optional.of(directory.org().quota());
            case TEAM -> directory.team(scope.id()).map(t -> t.quota());
            case USER -> directory.user(scope.id()).map(u -> u.quota());
            case KEY -> keys.findById(scope.id()).map(k -> k.quota());
            case MODEL -> Optional.empty();
        };
    }

    /** A budget no request of this node has touched since it started: nothing spent or reserved here yet. */
    private JsonObject unused(Scope scope, Quota q, Instant now) {
        return new JsonObject().put("object", "budget").put("scope", scope.type().name().toLowerCase(Locale.ROOT))
                .put("id", scope.id()).put("period", q.budgetPeriod().dbName())
                .put("window_start", Json.time(ledger.windowStart(q.budgetPeriod(), now)))
                .put("resets_at", q.budgetPeriod().resetAt(now, ledger.zone()).map(Instant::toString).orElse(null))
                .put("spent_usd", 0).put("reserved_usd", 0).put("spent_tokens", 0).put("reserved_tokens", 0)
                .put("budget_usd", Json.usd(q.budgetUsdNanos())).put("budget_tokens", q.budgetTokens());
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
