package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.admin.AdminRoutes;
import dev.gantry.config.GatewayConfig.DatabaseSettings;
import dev.gantry.store.AuditRepository;
import dev.gantry.store.Database;
import dev.gantry.store.RequestBodyRepository;
import dev.gantry.store.KeyRepository;
import dev.gantry.store.MembershipRepository;
import dev.gantry.store.OrgSettingsRepository;
import dev.gantry.store.PriceRepository;
import dev.gantry.store.RollupRepository;
import dev.gantry.store.TeamRepository;
import dev.gantry.store.UsageRepository;
import dev.gantry.store.UserRepository;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the admin router agree: every route mounted is documented, and nothing else is. */
class OpenApiCoverageTest {

    @Test
    void everyAdminRouteIsDocumentedAndEveryDocumentedAdminRouteExists() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (var gw = GatewayFixture.start();
             var db = Database.open(new DatabaseSettings("jdbc:h2:mem:openapi_coverage", null, null, 2))) {
            var ds = db.dataSource();
            var stores = new AdminRoutes.Stores(new KeyRepository(ds), new UserRepository(ds), new TeamRepository(ds),
                    new MembershipRepository(ds), new OrgSettingsRepository(ds), new AuditRepository(ds), new UsageRepository(ds),
                    new RollupRepository(ds), new PriceRepository(ds), new RequestBodyRepository(ds));
            var router = Router.router(vertx);
            // only the routes are looked at: the handlers' collaborators are never called
            new AdminRoutes(vertx, stores, null, null, null, null, null, null, null, null, null, null, Clock.systemUTC()).mount(router);
            var mounted = new TreeSet<String>();
            for (var route : router.getRoutes()) {
                if (route.methods() == null || route.getPath() == null || route.getPath().endsWith("*")) continue;
                for (var method : route.methods()) {
                    mounted.add(method.name().toLowerCase(Locale.ROOT) + " " + route.getPath().replaceAll(":(\\w+)", "{$1}"));
                }
            }
            JsonNode paths = json(gw.get("/api/v1/openapi.json", null).body()).path("paths");
            var documented = new TreeSet<String>();
            paths.fieldNames().forEachRemaining(path -> {
                if (!path.startsWith("/api/v1/")) return;
                paths.path(path).fieldNames().forEachRemaining(method -> {
                    if (!method.equals("parameters")) documented.add(method + " " + path);
                });
            });
            assertThat(mounted).hasSizeGreaterThan(25);
            assertThat(documented).containsExactlyElementsOf(mounted);
        } finally {
            vertx.close();
        }
    }
}
