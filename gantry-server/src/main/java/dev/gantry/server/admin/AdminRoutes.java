package dev.gantry.server.admin;

import dev.gantry.catalog.ModelCatalog;
import dev.gantry.config.ConfigException;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.limits.BudgetLedger;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.server.ConfigReloader;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.auth.ConsoleSessions;
import dev.gantry.server.auth.KeyCache;
import dev.gantry.server.identity.Directory;
import dev.gantry.server.secrets.ProviderKeys;
import dev.gantry.store.AuditRepository;
import dev.gantry.store.RequestBodyRepository;
import dev.gantry.store.KeyRepository;
import dev.gantry.store.MembershipRepository;
import dev.gantry.store.OrgSettingsRepository;
import dev.gantry.store.PriceRepository;
import dev.gantry.store.RollupRepository;
import dev.gantry.store.TeamRepository;
import dev.gantry.store.UsageRepository;
import dev.gantry.store.UserRepository;
import dev.gantry.usage.SelfHostedCost;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The admin API under {@code /api/v1}, every route in one list. Every route but the OpenAPI
 * document needs a key ({@link AdminAuth}); what the caller may do is each handler's question,
 * except for the routes guarded here as admins-only or read-everything. Built once; mounted on
 * each event loop's router.
 */
public final class AdminRoutes {
    private static final long MAX_ADMIN_BODY = 1 << 20;

    /** What the admin API reads and changes. */
    public record Stores(KeyRepository keys, UserRepository users, TeamRepository teams, MembershipRepository memberships,
                         OrgSettingsRepository org, AuditRepository audit, UsageRepository usage, RollupRepository rollups,
                         PriceRepository prices, RequestBodyRepository bodies) {}

    private final Buffer openApi = openApiDocument();
    private final AdminAuth auth;
    private final KeysApi keys;
    private final UsersApi users;
    private final TeamsApi teams;
    private final OrgApi org;
    private final AuditApi audit;
    private final UsageApi usage;
    private final AnalyticsApi analytics;
    private final RequestLogApi requestLog;
    private final PricesApi prices;
    private final DeploymentsApi deployments;
    private final ProviderKeysApi providerKeys;
    private final Handler<RoutingContext> reload;

    public AdminRoutes(Vertx vertx, Stores stores, Authenticator authenticator, KeyCache keyCache, Directory directory,
                       BudgetLedger ledger, Supplier<ModelCatalog> catalog, DeploymentPicker picker, SelfHostedCost selfHosted,
                       ConfigReloader reloader, ProviderKeys providerKeys, ConsoleSessions sessions, Clock clock) {
        var trail = new AuditTrail(stores.audit(), clock);
        var access = new KeyAccess(keyCache, directory);
        this.auth = new AdminAuth(authenticator, directory, sessions);
        this.keys = new KeysApi(stores.keys(), keyCache, directory, access, trail, vertx, clock);
        this.users = new UsersApi(stores.users(), stores.keys(), keyCache, directory, trail, vertx, clock);
        this.teams = new TeamsApi(stores.teams(), stores.memberships(), stores.users(), directory, trail, vertx, clock);
        this.org = new OrgApi(stores.org(), stores.keys(), directory, access, ledger, trail, vertx, clock);
        this.audit = new AuditApi(stores.audit(), vertx);
        this.usage = new UsageApi(stores.usage(), stores.bodies(), access, vertx, clock);
        var priceCatalog = new PriceCatalog(stores.prices(), catalog);
        this.analytics = new AnalyticsApi(stores.rollups(), priceCatalog, access, keyCache, directory, vertx, clock);
        this.requestLog = new RequestLogApi(stores.usage(), access, vertx, clock);
        this.prices = new PricesApi(priceCatalog, stores.prices(), trail, vertx, clock);
        this.deployments = new DeploymentsApi(catalog, picker, selfHosted, clock);
        this.providerKeys = new ProviderKeysApi(providerKeys, reloader, trail, vertx);
        this.reload = ctx -> Json.reply(ctx, 200, vertx.executeBlocking(() -> {
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
        }, false));
    }

    public void mount(Router router) {
        router.get("/api/v1/openapi.json").handler(ctx ->
                ctx.response().putHeader("content-type", "application/json").end(openApi));
        router.route("/api/v1/*").handler(auth);
        router.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(MAX_ADMIN_BODY));
        var adminsOnly = AdminAuth.adminsOnly();
        var readersOfAll = AdminAuth.readersOfAll();

        router.get("/api/v1/me").handler(users::me);

        router.get("/api/v1/users").handler(users::list);
        router.post("/api/v1/users").handler(adminsOnly).handler(users::create);
        router.get("/api/v1/users/:id").handler(users::show);
        router.patch("/api/v1/users/:id").handler(users::update);
        router.delete("/api/v1/users/:id").handler(adminsOnly).handler(users::delete);

        router.get("/api/v1/teams").handler(teams::list);
        router.post("/api/v1/teams").handler(adminsOnly).handler(teams::create);
        router.get("/api/v1/teams/:id").handler(teams::show);
        router.patch("/api/v1/teams/:id").handler(teams::update);
        router.delete("/api/v1/teams/:id").handler(adminsOnly).handler(teams::delete);
        router.get("/api/v1/teams/:id/members").handler(teams::members);
        router.put("/api/v1/teams/:id/members/:userId").handler(teams::putMember);
        router.delete("/api/v1/teams/:id/members/:userId").handler(teams::removeMember);

        router.get("/api/v1/keys").handler(keys::list);
        router.post("/api/v1/keys").handler(keys::create);
        router.get("/api/v1/keys/:id").handler(keys::show);
        router.patch("/api/v1/keys/:id").handler(keys::update);
        router.post("/api/v1/keys/:id/rotate").handler(keys::rotate);
        router.delete("/api/v1/keys/:id").handler(keys::revoke);

        router.get("/api/v1/org").handler(readersOfAll).handler(org::show);
        router.patch("/api/v1/org").handler(adminsOnly).handler(org::update);
        router.get("/api/v1/budgets").handler(org::budgets);

        router.get("/api/v1/audit").handler(readersOfAll).handler(audit::list);
        router.post("/api/v1/audit/verify").handler(readersOfAll).handler(audit::verify);

        router.get("/api/v1/usage").handler(usage::totals);
        router.get("/api/v1/usage/requests/:requestId").handler(usage::request);
        router.get("/api/v1/usage/series").handler(analytics::series);
        router.get("/api/v1/usage/top").handler(analytics::top);
        router.get("/api/v1/usage/savings").handler(analytics::savings);
        router.get("/api/v1/requests").handler(requestLog::list);
        router.get("/api/v1/prices").handler(prices::list);
        router.put("/api/v1/prices/:model").handler(adminsOnly).handler(prices::put);
        router.delete("/api/v1/prices/:model").handler(adminsOnly).handler(prices::delete);
        router.get("/api/v1/deployments").handler(readersOfAll).handler(deployments::list);
        router.post("/api/v1/config/reload").handler(adminsOnly).handler(reload);
        router.put("/api/v1/providers/:name/api-key").handler(adminsOnly).handler(providerKeys::put);
        router.delete("/api/v1/providers/:name/api-key").handler(adminsOnly).handler(providerKeys::delete);
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
