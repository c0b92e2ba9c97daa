package dev.gantry.server.admin;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.routing.DeploymentHealth;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.usage.SelfHostedCost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.function.Supplier;

/** {@code GET /api/v1/deployments}: every model's deployments and what routing knows of them now. */
final class DeploymentsApi {
    private final Supplier<ModelCatalog> catalog;
    private final DeploymentPicker picker;

    private final SelfHostedCost selfHosted;
    private final Clock clock;

    DeploymentsApi(Supplier<ModelCatalog> catalog, DeploymentPicker picker, SelfHostedCost selfHosted, Clock clock) {
        this.catalog = catalog;
        this.picker = picker;
        this.selfHosted = selfHosted;
        this.clock = clock;
    }

    /** For a deployment paid by the hour: what its tokens cost at the throughput of the last hour. */
    private BigDecimal effectivePrice(Deployment d) {
        if (d.costPerHourMicros() == 0) return null;
        long micros = selfHosted.effectiveMicrosPerMtok(d.id(), d.costPerHourMicros(), clock.millis());
        return micros < 0 ? null : BigDecimal.valueOf(micros, 6);
    }

    void list(RoutingContext ctx) {
        long now = picker.now();
        var data = new JsonArray();
        for (Model model : catalog.get().all()) {
            for (Deployment d : model.deployments()) {
                DeploymentHealth h = picker.health(d);
                data.add(new JsonObject().put("model", model.name()).put("id", d.id())
                        .put("provider", d.provider().name()).put("upstream_model", d.upstreamModel())
                        .put("strategy", model.strategy().configName()).put("weight", d.weight()).put("priority", d.priority())
                        .put("max_concurrent", d.maxConcurrent()).put("in_flight", h.inFlight())
                        .put("breaker", h.breakerState(now).name().toLowerCase(java.util.Locale.ROOT))
                        .put("health_check", d.provider().healthCheck().isEmpty() ? "none" : picker.isProbedDown(d) ? "down" : "up")
                        .put("cooling_down", h.isCooling(now))
                        .put("ttft_ms_avg", h.ttftEwmaNanos() == 0 ? null : h.ttftEwmaNanos() / 1_000_000.0)
                        .put("requests", h.requests()).put("failures", h.failures())
                        .put("cost_per_hour_usd", d.costPerHourMicros() == 0 ? null : BigDecimal.valueOf(d.costPerHourMicros(), 6))
                        .put("effective_usd_per_mtok", effectivePrice(d)));
            }
        }
        Json.reply(ctx, 200, Future.succeededFuture(new JsonObject().put("object", "list").put("data", data)));
    }
}
