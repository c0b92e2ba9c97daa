package dev.gantry.server.ops;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The gateway's Prometheus metrics. Per-request meters are updated from the usage recorder's
 * thread, not the request path: a meter look-up by tags costs more than the rest of a proxied
 * request's bookkeeping. Model tags only ever carry catalog names (or {@code none}), so a client
 * sending random model names cannot blow up the series count.
 */
public final class GatewayMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Meter> deploymentGauges = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter usageDropped;

    public GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("gantry_requests_in_flight", inFlight, AtomicInteger::get)
                .description("Data-plane requests being served now").register(registry);
        usageDropped = Counter.builder("gantry_usage_dropped").description("Usage records lost because the queue was full")
                .register(registry);
    }

    public AtomicInteger inFlight() { return inFlight; }

    public void usageDropped() { usageDropped.increment(); }

    public void usageQueueDepth(IntSupplier depth) {
        Gauge.builder("gantry_usage_queue_depth", depth::getAsInt).description("Usage records waiting to be stored")
                .register(registry);
    }

    /**
     * Gauges of each deployment's live state: {@code gantry_deployment_available} (1 when routing
     * would send it work: health probe passing, breaker not open, not cooling down) and
     * {@code gantry_deployment_in_flight}. Each call replaces the previous call's gauges: a gauge
     * reads the deployment value it was built with, and a reload that changes a deployment's
     * settings gives it a new routing state under the same name, which Micrometer would not
     * re-register; a deployment the reload removed loses its gauges.
     */
    public synchronized void deployments(ModelCatalog catalog, DeploymentPicker picker) {
        deploymentGauges.forEach(registry::remove);
        deploymentGauges.clear();
        for (Model model : catalog.all()) {
            for (Deployment d : model.deployments()) {
                var h = picker.health(d); // known from the start, not only after its first request
                String id = d.id();
                deploymentGauges.add(Gauge.builder("gantry_deployment_available", () -> picker.isAvailable(d) ? 1 : 0)
                        .description("1 while routing would send the deployment work").tags("deployment", id).register(registry));
                deploymentGauges.add(Gauge.builder("gantry_deployment_in_flight", h::inFlight)
                        .description("Requests the deployment is serving now").tags("deployment", id).register(registry));
            }
        }
    }

    /*
     * Meters are looked up in these maps, not built and registered per request: building tags and
     * finding the meter in the registry allocated about 2 KB per request. The keys are few (catalog
     * names, statuses, outcomes), and a meter is still registered only when first needed.
     */
    private record RequestKey(String endpoint, String model, int status, String outcome) {}
    private record DurationKey(String endpoint, String model) {}
    private record TokensKey(String model, String kind) {}
    private record UpstreamErrorKey(String deployment, int status) {}

    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<DurationKey, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Timer> timesToFirstToken = new ConcurrentHashMap<>();
    private final Map<TokensKey, DistributionSummary> tokens = new ConcurrentHashMap<>();
    private final Map<String, Counter> costs = new ConcurrentHashMap<>();
    private final Map<UpstreamErrorKey, Counter> upstreamErrors = new ConcurrentHashMap<>();

    /** Counts one finished request. */
    public void record(UsageRecord r, String modelTag, String deploymentTag) {
        requests.computeIfAbsent(new RequestKey(r.endpoint(), modelTag, r.httpStatus(), r.outcome().dbName()), k ->
                Counter.builder("gantry_requests").description("Data-plane requests")
                        .tags("endpoint", k.endpoint(), "model", k.model(), "status", Integer.toString(k.status()), "outcome", k.outcome())
                        .register(registry)).increment();
        durations.computeIfAbsent(new DurationKey(r.endpoint(), modelTag), k ->
                Timer.builder("gantry_request_duration").description("Time from request to the last response byte")
                        .tags("endpoint", k.endpoint(), "model", k.model()).serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry)).record(r.latencyMillis(), TimeUnit.MILLISECONDS);
        if (r.ttftMillis() >= 0) {
            timesToFirstToken.computeIfAbsent(modelTag, model ->
                    Timer.builder("gantry_time_to_first_token").description("Time from request to the first streamed byte")
                            .tags("model", model).serviceLevelObjectives(LATENCY_BUCKETS)
                            .register(registry)).record(r.ttftMillis(), TimeUnit.MILLISECONDS);
        }
        var u = r.usage();
        tokens(modelTag, "input", u.inputTokens() - u.cachedInputTokens());
        tokens(modelTag, "cached_input", u.cachedInputTokens());
        tokens(modelTag, "output", u.outputTokens());
        if (r.costNanos() > 0) {
            costs.computeIfAbsent(modelTag, model -> Counter.builder("gantry_cost_usd").description("Spend at catalog prices")
                    .tags("model", model).register(registry)).increment(r.costNanos() / 1e9);
        }
        // only requests that reached an upstream: a 5xx of the gateway's own is not the upstream's
        if (deploymentTag != null && (r.httpStatus() >= 500 || r.outcome() == Outcome.STREAM_CUT)) {
            upstreamErrors.computeIfAbsent(new UpstreamErrorKey(deploymentTag, r.httpStatus()), k ->
                    Counter.builder("gantry_upstream_errors").description("Upstream failures and 5xx answers")
                            .tags("deployment", k.deployment(), "status", Integer.toString(k.status()))
                            .register(registry)).increment();
        }
    }

    private void tokens(String model, String kind, long n) {
        if (n <= 0) return;
        tokens.computeIfAbsent(new TokensKey(model, kind), k -> DistributionSummary.builder("gantry_tokens")
                .description("Tokens by model and kind").tags("model", k.model(), "kind", k.kind()).register(registry)).record(n);
    }

    /** One alert handled: {@code result} is delivered, failed (webhook unreachable or non-2xx) or logged (no webhook). */
    public void alertSent(String kind, String result) {
        Counter.builder("gantry_alerts_sent").description("Alerts raised, by kind and what became of the webhook post")
                .tags("kind", kind, "result", result).register(registry).increment();
    }

    /** The Prometheus text exposition. */
    public String scrape() { return registry.scrape(); }
}
