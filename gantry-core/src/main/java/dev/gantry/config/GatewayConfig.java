package dev.gantry.config;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Provider;
import dev.gantry.catalog.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The validated, immutable configuration the gateway runs with. */
public record GatewayConfig(ServerSettings server, DatabaseSettings database, Optional<String> redisUrl,
                            UsageSettings usage, RoutingSettings routing, GovernanceSettings governance,
                            MonitoringSettings monitoring, List<Provider> providers, ModelCatalog catalog) {

    /**
     * This configuration with some providers' API keys replaced (keys stored encrypted through the
     * admin API win over the file's): the providers, and every deployment on them, carry the new key.
     */
    public GatewayConfig withProviderKeys(Map<String, Secret> keys) {
        if (keys.isEmpty()) return this;
        var replaced = new HashMap<String, Provider>();
        var newProviders = new ArrayList<Provider>();
        for (Provider p : providers) {
            Provider q = keys.containsKey(p.name()) ? p.withApiKey(keys.get(p.name())) : p;
            replaced.put(p.name(), q);
            newProviders.add(q);
        }
        var models = new ArrayList<Model>();
        for (Model m : catalog.all()) {
            var deployments = new ArrayList<Deployment>();
            for (Deployment d : m.deployments()) deployments.add(d.withProvider(replaced.getOrDefault(d.provider().name(), d.provider())));
            models.add(m.withDeployments(deployments));
        }
        return new GatewayConfig(server, database, redisUrl, usage, routing, governance, monitoring, newProviders, new ModelCatalog(models));
    }

    /**
     * Budgets and alerts (per-model rate limits live on each {@code Model}).
     *
     * @param timeZone        where budget days, weeks and months begin
     * @param alertWebhook    where threshold alerts are posted (Slack-compatible {@code {"text"}}), if anywhere
     * @param alertThresholds percentages of a budget that post an alert once per period
     * @param maxOutputTokens the output a request without {@code max_tokens} is assumed to produce
     *                        when budgets and token limits reserve its worst case
     */
    public record GovernanceSettings(ZoneId timeZone, Optional<URI> alertWebhook, List<Integer> alertThresholds,
                                     long maxOutputTokens) {
        public GovernanceSettings {
            alertThresholds = List.copyOf(alertThresholds);
        }
    }

    /**
     * Monitoring outside the console: traces to an OpenTelemetry collector, alerts to a webhook.
     *
     * @param telemetry traces over OTLP/HTTP; empty (the default) means no tracing at all
     * @param alerts    deployment and error-rate alerts
     */
    public record MonitoringSettings(Optional<TelemetrySettings> telemetry, AlertSettings alerts) {
        public static final MonitoringSettings NONE = new MonitoringSettings(Optional.empty(), AlertSettings.NONE);
    }

    /**
     * Where and how spans are exported.
     *
     * @param tracesUrl   the OTLP/HTTP traces URL: the configured endpoint with {@code /v1/traces}
     *                    appended unless it already ends so
     * @param serviceName the {@code service.name} resource attribute
     * @param sampleRatio share of new traces kept (a request joining a caller's trace follows the
     *                    caller's decision)
     * @param headers     sent with every export, often a token: never printed
     */
    public record TelemetrySettings(URI tracesUrl, String serviceName, double sampleRatio, Map<String, String> headers) {
        public TelemetrySettings {
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "TelemetrySettings[tracesUrl=" + tracesUrl + ", serviceName=" + serviceName + ", sampleRatio=" + sampleRatio
                    + ", headers=" + headers.keySet() + "]";
        }
    }

    /**
     * Alerts beyond budgets, posted to a webhook as Slack-compatible JSON.
     *
     * @param webhook        where they go: {@code alerts.webhook}, else {@code governance.alert_webhook};
     *                       empty means they are only logged
     * @param deploymentDown post when a deployment goes down (breaker open or health probe failing)
     *                       and when it recovers
     * @param errorRate      post when a model's error rate crosses a threshold and when it is back
     */
    public record AlertSettings(Optional<URI> webhook, boolean deploymentDown, Optional<ErrorRateAlert> errorRate) {
        /** No {@code alerts:} section: only budget alerts, as before it existed. */
        public static final AlertSettings NONE = new AlertSettings(Optional.empty(), false, Optional.empty());

        public boolean any() { return deploymentDown || errorRate.isPresent(); }
    }

    /**
     * @param threshold   share of failed requests (0..1) that raises the alert
     * @param window      the sliding window the share is measured over
     * @param minRequests fewer requests than this in the window never alert
     */
    public record ErrorRateAlert(double threshold, Duration window, int minRequests) {}

    /** A deployment failing {@code breakerFailures} times in a row is left alone for {@code breakerCooldown}. */
    public record RoutingSettings(int breakerFailures, Duration breakerCooldown) {}

    /**
     * @param maxBodyBytes   largest request body accepted (413 above it); images in base64 make
     *                       legitimate bodies large, hence a generous default
     * @param eventLoops     Vert.x event loops serving HTTP; each has its own upstream client
     * @param shutdownGrace  how long in-flight streams may run on after a stop is asked for
     * @param transport      how the event loops talk to the operating system's network stack
     */
    public record ServerSettings(String host, int port, long maxBodyBytes, int eventLoops, Duration shutdownGrace,
                                 NetworkTransport transport) {
        public ServerSettings withPort(int newPort) {
            return new ServerSettings(host, newPort, maxBodyBytes, eventLoops, shutdownGrace, transport);
        }
    }

    /**
     * The event loops' I/O: Linux's io_uring (system calls handed over in batches through rings
     * shared with the kernel), epoll (one system call per read and write), or Java's NIO, which
     * works everywhere. {@code auto} takes the first of these the machine allows: a kernel without
     * io_uring, or a container whose seccomp profile forbids it, gets epoll.
     */
    public enum NetworkTransport {
        AUTO, IO_URING, EPOLL, NIO;

        public String configName() { return name().toLowerCase(Locale.ROOT); }
    }

    public record DatabaseSettings(String url, String username, String password, int poolSize) {
        @Override
        public String toString() { return "DatabaseSettings[url=" + url + ", username=" + username + "]"; }
    }

    /**
     * Usage rows are written in batches of up to {@code batchSize}, at least every
     * {@code flushInterval}, through a spool in {@code spoolDir}; {@code durability} says what a
     * complete answer's last byte waits for. Captured request and response bodies are deleted
     * {@code bodyRetention} after their request.
     */
    public record UsageSettings(int batchSize, Duration flushInterval, int queueCapacity, UsageDurability durability, Path spoolDir,
                                Duration bodyRetention) {}

    /** What a complete answer's last byte waits for before it goes out. */
    public enum UsageDurability {
        /**
         * Its usage written to the spool file: in the operating system's page cache, which outlives
         * the gateway process (a crash, {@code kill -9}, the OOM killer). The spool is synced every
         * flush interval, so a crash of the whole machine may lose that interval.
         */
        WRITE,
        /** Its usage synced to the spool's disk (one fsync per group of answers): a power cut loses nothing. */
        FSYNC,
        /** Nothing: the spool is written and synced every flush interval, and a killed process may lose that interval. */
        BATCHED
    }

    public GatewayConfig withPort(int port) {
        return new GatewayConfig(server.withPort(port), database, redisUrl, usage, routing, governance, monitoring, providers, catalog);
    }

    public GatewayConfig withDatabase(DatabaseSettings db) {
        return new GatewayConfig(server, db, redisUrl, usage, routing, governance, monitoring, providers, catalog);
    }
}
