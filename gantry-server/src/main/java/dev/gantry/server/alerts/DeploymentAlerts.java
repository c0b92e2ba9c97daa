package dev.gantry.server.alerts;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.routing.CircuitBreaker;
import dev.gantry.routing.DeploymentPicker;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Alerts when a deployment goes down and when it recovers, once per transition.
 *
 * <p>Design: polls the routing state once a second on a Vert.x timer instead of hooking the
 * circuit breaker, so the request path pays nothing. A deployment is down while its breaker is
 * not closed (opened by consecutive failures; half-open until a request gets through) or its
 * provider's health probe fails; routing sends it no work then. A deployment listed by several
 * models counts as down if any listing is. A transition shorter than the poll period may go
 * unreported; the breaker's cool-down (30 s by default) is far longer.
 */
public final class DeploymentAlerts implements AutoCloseable {
    static final long PERIOD_MILLIS = 1_000;

    private final Vertx vertx;
    private final Supplier<ModelCatalog> catalog;
    private final DeploymentPicker picker;
    private final AlertSink sender;
    private final Clock clock;
    /** Deployment id to when it went down; only touched on the timer's event loop. */
    private final Map<String, Instant> down = new HashMap<>();
    private long timer = -1;

    public DeploymentAlerts(Vertx vertx, Supplier<ModelCatalog> catalog, DeploymentPicker picker, AlertSink sender, Clock clock) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.picker = picker;
        this.sender = sender;
        this.clock = clock;
    }

    public void start() {
        timer = vertx.setPeriodic(PERIOD_MILLIS, id -> check());
    }

    /** Compares the state of every deployment with the last one seen and alerts on changes. */
    void check() {
        long now = picker.now();
        var reasons = new LinkedHashMap<String, String>(); // down deployments: id -> why
        var providers = new HashMap<String, String>();    // id -> provider name
        for (Model model : catalog.get().all()) {
            for (Deployment d : model.deployments()) {
                providers.put(d.id(), d.provider().name());
                String reason = picker.isProbedDown(d) ? "its health check fails"
                        : picker.health(d).breakerState(now) != CircuitBreaker.State.CLOSED ? "its circuit breaker opened after repeated failures"
                        : null;
                if (reason != null) reasons.putIfAbsent(d.id(), reason);
            }
        }
        Instant at = clock.instant();
        reasons.forEach((id, reason) -> {
            if (down.putIfAbsent(id, at) != null) return;
            sender.send("deployment_down", "Gantry: deployment '" + id + "' is down: " + reason
                    + "; requests go to other deployments or fallbacks.", Map.of("deployment", id, "provider", providers.get(id),
                    "state", "down", "reason", reason.startsWith("its health") ? "health_check" : "circuit_breaker"));
        });
        down.entrySet().removeIf(e -> {
            if (reasons.containsKey(e.getKey())) return false;
            if (!providers.containsKey(e.getKey())) return true; // gone from the configuration: nothing to report
            long seconds = Duration.between(e.getValue(), at).toSeconds();
            sender.send("deployment_recovered", "Gantry: deployment '" + e.getKey() + "' has recovered after " + seconds + " s down.",
                    Map.of("deployment", e.getKey(), "provider", providers.get(e.getKey()), "state", "up", "down_seconds", seconds));
            return true;
        });
    }

    @Override
    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }
}
