package dev.gantry.config;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Price;
import dev.gantry.catalog.Provider;
import dev.gantry.catalog.ProviderTls;
import dev.gantry.catalog.ProviderType;
import dev.gantry.catalog.Secret;
import dev.gantry.catalog.Timeouts;
import dev.gantry.config.GatewayConfig.DatabaseSettings;
import dev.gantry.config.GatewayConfig.AlertSettings;
import dev.gantry.config.GatewayConfig.ErrorRateAlert;
import dev.gantry.config.GatewayConfig.GovernanceSettings;
import dev.gantry.config.GatewayConfig.MonitoringSettings;
import dev.gantry.config.GatewayConfig.TelemetrySettings;
import dev.gantry.config.GatewayConfig.ServerSettings;
import dev.gantry.config.GatewayConfig.NetworkTransport;
import dev.gantry.config.GatewayConfig.UsageDurability;
import dev.gantry.config.GatewayConfig.UsageSettings;
import dev.gantry.limits.RateLimit;
import dev.gantry.limits.Scope;
import dev.gantry.routing.QueuePolicy;
import dev.gantry.routing.RetryPolicy;
import dev.gantry.routing.Strategy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the file as written into the configuration the gateway runs with: defaults, checks, references. */
final class ConfigValidator {
    static final int DEFAULT_PORT = 4000;
    static final String DEFAULT_DATABASE_URL = "jdbc:h2:file:./data/gantry";
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN (RSA |EC )?PRIVATE KEY-----");

    private final String sourceName;
    private final YamlLocator locator;

    ConfigValidator(String sourceName, YamlLocator locator) {
        this.sourceName = sourceName;
        this.locator = locator;
    }

    GatewayConfig validate(ConfigFile file) {
        var providers = providers(orEmpty(file.providers()));
        var models = models(orEmpty(file.models()), providers);
        return new GatewayConfig(server(file.server()), database(file.database()),
                Optional.ofNullable(file.redis()).map(ConfigFile.Redis::url).filter(u -> !u.isBlank()),
                usage(file.usage()), routing(file.routing()), governance(file.governance()),
                new MonitoringSettings(telemetry(file.telemetry()), alerts(file.alerts(), file.governance())),
                List.copyOf(providers.values()),
                new ModelCatalog(models));
    }

    private ServerSettings server(ConfigFile.Server s) {
        if (s == null) s = new ConfigFile.Server(null, null, null, null, null, null);
        int port = between(s.port(), DEFAULT_PORT, 0, 65535, "/server/port");
        long maxBody = s.maxBodyBytes() == null ? 32L << 20 : s.maxBodyBytes();
        if (maxBody < 1024 || maxBody > Integer.MAX_VALUE - 1024) {
            fail("/server/max_body_bytes", "must be between 1024 and 2147482623, got " + maxBody);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int loops = between(s.eventLoops(), cores, 1, 256, "/server/event_loops");
        int grace = between(s.shutdownGraceSeconds(), 30, 0, 3600, "/server/shutdown_grace_seconds");
        NetworkTransport transport = oneOf(NetworkTransport.class, s.transport(), NetworkTransport.AUTO, "/server/transport");
        return new ServerSettings(Objects.requireNonNullElse(s.host(), "0.0.0.0"), port, maxBody, loops,
                Duration.ofSeconds(grace), transport);
    }

    private DatabaseSettings database(ConfigFile.Database d) {
        if (d == null) d = new ConfigFile.Database(null, null, null, null);
        String url = Objects.requireNonNullElse(d.url(), DEFAULT_DATABASE_URL);
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            fail("/database/url", "must be a jdbc:h2: or jdbc:postgresql: URL, got '" + url + "'");
        }
        return new DatabaseSettings(url, d.username(), d.password(), between(d.poolSize(), 8, 1, 200, "/database/pool_size"));
    }

    private UsageSettings usage(ConfigFile.Usage u) {
        if (u == null) u = new ConfigFile.Usage(null, null, null, null, null, null);
        UsageDurability durability = oneOf(UsageDurability.class, u.durability(), UsageDurability.WRITE, "/usage/durability");
        return new UsageSettings(between(u.batchSize(), 2_000, 1, 100_000, "/usage/batch_size"),
                Duration.ofMillis(between(u.flushIntervalMs(), 200, 1, 60_000, "/usage/flush_interval_ms")),
                between(u.queueCapacity(), 100_000, 1_000, 10_000_000, "/usage/queue_capacity"),
                durability, Path.of(Objects.requireNonNullElse(u.spoolDir(), "./data/usage-spool")),
                Duration.ofDays(between(u.bodyRetentionDays(), 30, 1, 36_500, "/usage/body_retention_days")));
    }

    private GatewayConfig.RoutingSettings routing(ConfigFile.Routing r) {
        if (r == null) r = new ConfigFile.Routing(null, null);
        return new GatewayConfig.RoutingSettings(between(r.breakerFailures(), 5, 1, 1_000_000, "/routing/breaker_failures"),
                millis(r.breakerCooldownMs(), Duration.ofSeconds(30), "/routing/breaker_cooldown_ms"));
    }

    private GovernanceSettings governance(ConfigFile.Governance g) {
        if (g == null) g = new ConfigFile.Governance(null, null, null, null);
        ZoneId zone = ZoneOffset.UTC;
        if (g.timeZone() != null) {
            try {
                zone = ZoneId.of(g.timeZone());
            } catch (DateTimeException e) {
                fail("/governance/time_zone", "is not a time zone such as UTC or Europe/Berlin: '" + g.timeZone() + "'");
            }
        }
        Optional<URI> webhook = Optional.ofNullable(g.alertWebhook()).filter(u -> !u.isBlank())
                .map(u -> url(u, "/governance/alert_webhook"));
        List<Integer> thresholds = g.alertThresholds() == null ? List.of(50, 80, 100) : g.alertThresholds();
        if (thresholds.size() > 31) fail("/governance/alert_thresholds", "at most 31 thresholds, got " + thresholds.size());
        for (int i = 0; i < thresholds.size(); i++) {
            Integer t = thresholds.get(i);
            if (t == null || t < 1 || t > 1000) fail("/governance/alert_thresholds/" + i, "must be a percentage between 1 and 1000, got " + t);
        }
        long maxOutput = g.maxOutputTokens() == null ? 4096 : g.maxOutputTokens();
        if (maxOutput < 1 || maxOutput > 10_000_000) fail("/governance/max_output_tokens", "must be between 1 and 10000000, got " + maxOutput);
        return new GovernanceSettings(zone, webhook, thresholds, maxOutput);
    }

    /** {@code telemetry:}; without an {@code otlp_endpoint} there is no tracing. */
    private Optional<TelemetrySettings> telemetry(ConfigFile.Telemetry t) {
        if (t == null) return Optional.empty();
        if (t.otlpEndpoint() == null || t.otlpEndpoint().isBlank()) {
            if (t.serviceName() != null || t.sampleRatio() != null || t.headers() != null) {
                fail("/telemetry/otlp_endpoint", "is required when other telemetry fields are set (the collector's "
                        + "OTLP/HTTP address, e.g. http://collector:4318)");
            }
            return Optional.empty();
        }
        URI endpoint = url(t.otlpEndpoint().strip(), "/telemetry/otlp_endpoint");
        String base = endpoint.toString().replaceAll("/+$", "");
        URI traces = URI.create(base.endsWith("/v1/traces") ? base : base + "/v1/traces");
        String service = t.serviceName() == null ? "gantry" : t.serviceName();
        if (service.isBlank()) fail("/telemetry/service_name", "must not be empty");
        double ratio = t.sampleRatio() == null ? 1.0 : t.sampleRatio();
        if (!(ratio >= 0 && ratio <= 1)) fail("/telemetry/sample_ratio", "must be between 0 and 1, got " + t.sampleRatio());
        Map<String, String> headers = t.headers() == null ? Map.of() : t.headers();
        for (var h : headers.entrySet()) {
            if (h.getValue() == null || !h.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                fail("/telemetry/headers/" + h.getKey(), "must be an HTTP header name with a value");
            }
        }
        return Optional.of(new TelemetrySettings(traces, service, ratio, headers));
    }

    /**
     * {@code alerts:}; absent means budget alerts only. Present, deployment and error-rate alerts
     * are on unless turned off, and go to its webhook or else the governance one.
     */
    private AlertSettings alerts(ConfigFile.Alerts a, ConfigFile.Governance g) {
        if (a == null) return AlertSettings.NONE;
        Optional<URI> webhook = Optional.ofNullable(a.webhook()).filter(u -> !u.isBlank()).map(u -> url(u, "/alerts/webhook"));
        if (webhook.isEmpty() && g != null && g.alertWebhook() != null && !g.alertWebhook().isBlank()) {
            webhook = Optional.of(url(g.alertWebhook(), "/governance/alert_webhook"));
        }
        var e = a.errorRate() == null ? new ConfigFile.ErrorRate(null, null, null, null) : a.errorRate();
        Optional<ErrorRateAlert> errorRate = Optional.empty();
        if (!Boolean.FALSE.equals(e.enabled())) {
            double threshold = e.threshold() == null ? 0.25 : e.threshold();
            if (!(threshold > 0 && threshold <= 1)) {
                fail("/alerts/error_rate/threshold", "must be a share of requests above 0 and at most 1 (0.25 is 25 %), got " + e.threshold());
            }
            int window = between(e.windowSeconds(), 300, 10, 86_400, "/alerts/error_rate/window_seconds");
            int min = between(e.minRequests(), 20, 1, 1_000_000, "/alerts/error_rate/min_requests");
            errorRate = Optional.of(new ErrorRateAlert(threshold, Duration.ofSeconds(window), min));
        }
        return new AlertSettings(webhook, !Boolean.FALSE.equals(a.deploymentDown()), errorRate);
    }

    /** A model's {@code limits:}; 0 or absent limits nothing of that kind. */
    private Optional<RateLimit> limits(String model, ConfigFile.LimitsEntry l, String at) {
        if (l == null) return Optional.empty();
        long rpm = perMinute(l.rpm(), at + "/rpm"), tpm = perMinute(l.tpm(), at + "/tpm");
        int parallel = between(l.maxParallel(), 0, 0, 1_000_000, at + "/max_parallel");
        if (rpm == 0 && tpm == 0 && parallel == 0) return Optional.empty();
        return Optional.of(new RateLimit(Scope.model(model), rpm, tpm, parallel));
    }

    private long perMinute(Long value, String at) {
        if (value == null) return 0;
        if (value < 0 || value > 1_000_000_000_000L) fail(at, "must be between 0 and 1000000000000, got " + value);
        return value;
    }

    private Map<String, Provider> providers(List<ConfigFile.ProviderEntry> entries) {
        var byName = new LinkedHashMap<String, Provider>();
        for (int i = 0; i < entries.size(); i++) {
            var e = entries.get(i);
            String at = "/providers/" + i;
            String name = required(e.name(), at + "/name");
            if (byName.containsKey(name)) fail(at + "/name", "provider '" + name + "' is declared twice");
            String typeName = required(e.type(), at + "/type");
            ProviderType type = ProviderType.fromConfigName(typeName).orElseThrow(() -> error(at + "/type",
                    "unknown provider type '" + typeName + "' (supported: " + ProviderType.supportedNames() + ")"));
            URI baseUrl = url(required(e.baseUrl(), at + "/base_url"), at + "/base_url");
            var timeouts = timeouts(e.timeouts(), Timeouts.DEFAULT, at + "/timeouts");
            boolean responsesApi = Boolean.TRUE.equals(e.responsesApi());
            if (responsesApi && type != ProviderType.OPENAI) fail(at + "/responses_api", "only providers of type openai serve the Responses API");
            Optional<Provider.HealthCheck> healthCheck = Optional.ofNullable(e.healthCheck()).map(h -> new Provider.HealthCheck(
                    required(h.path(), at + "/health_check/path"),
                    millis(h.intervalMs(), Duration.ofSeconds(10), at + "/health_check/interval_ms"),
                    millis(h.timeoutMs(), Duration.ofSeconds(2), at + "/health_check/timeout_ms")));
            healthCheck.ifPresent(h -> {
                if (!h.path().startsWith("/")) fail(at + "/health_check/path", "must start with /, got '" + h.path() + "'");
            });
            byName.put(name, new Provider(name, type, baseUrl, new Secret(e.apiKey()),
                    e.headers() == null ? Map.of() : e.headers(), timeouts, responsesApi, healthCheck,
                    tls(e.tls(), baseUrl, at + "/tls")));
        }
        return byName;
    }

    /**
     * The TLS files of an https provider, read now: a file that cannot be used stops start-up,
     * rather than every request to the provider failing its handshake.
     */
    private Optional<ProviderTls> tls(ConfigFile.TlsEntry tls, URI baseUrl, String at) {
        if (tls == null) return Optional.empty();
        if (!"https".equals(baseUrl.getScheme())) fail(at, "applies to https:// base URLs only, got '" + baseUrl + "'");
        if (tls.caFile() == null && tls.certFile() == null && tls.keyFile() == null) {
            fail(at, "give ca_file, or cert_file and key_file, or all three");
        }
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            fail(at + (tls.certFile() == null ? "/cert_file" : "/key_file"), "is required with "
                    + (tls.certFile() == null ? "key_file" : "cert_file"));
        }
        String ca = tls.caFile() == null ? null : certificates(tls.caFile(), at + "/ca_file");
        String certificate = tls.certFile() == null ? null : certificates(tls.certFile(), at + "/cert_file");
        Secret key = new Secret(tls.keyFile() == null ? null : privateKey(tls.keyFile(), at + "/key_file"));
        return Optional.of(new ProviderTls(ca, certificate, key));
    }

    /** The text of a PEM file that holds at least one X.509 certificate. */
    private String certificates(String fileName, String at) {
        String pem = pemFile(fileName, at);
        try {
            var parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1)));
            if (parsed.isEmpty()) throw new CertificateException("none found");
        } catch (CertificateException e) {
            fail(at, "'" + fileName + "' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return pem;
    }

    /** The text of a PEM file that holds a private key (PKCS#8, or PKCS#1 RSA, or SEC1 EC); never quoted in errors. */
    private String privateKey(String fileName, String at) {
        String pem = pemFile(fileName, at);
        if (!PRIVATE_KEY.matcher(pem).find()) {
            fail(at, "'" + fileName + "' holds no PEM private key (-----BEGIN PRIVATE KEY----- or the RSA or EC kind)");
        }
        return pem;
    }

    private String pemFile(String fileName, String at) {
        Path file = Path.of(fileName);
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1); // any byte reads: PEM's comments need not be UTF-8
        } catch (NoSuchFileException e) {
            throw error(at, "no such file '" + file + "'");
        } catch (IOException e) {
            throw error(at, "cannot read '" + file + "': " + e);
        }
    }

    private List<Model> models(List<ConfigFile.ModelEntry> entries, Map<String, Provider> providers) {
        var models = new ArrayList<Model>();
        var names = new HashSet<String>();
        var exactAliases = new HashSet<String>();
        for (int i = 0; i < entries.size(); i++) {
            var e = entries.get(i);
            String at = "/models/" + i;
            String name = required(e.name(), at + "/name");
            if (!names.add(name)) fail(at + "/name", "model '" + name + "' is declared twice");
            var deployments = new ArrayList<Deployment>();
            var entriesD = orEmpty(e.deployments());
            if (entriesD.isEmpty()) fail(at + "/deployments", "model '" + name + "' needs at least one deployment");
            for (int j = 0; j < entriesD.size(); j++) {
                var d = entriesD.get(j);
                String dAt = at + "/deployments/" + j;
                String providerName = required(d.provider(), dAt + "/provider");
                Provider provider = providers.get(providerName);
                if (provider == null) {
                    fail(dAt + "/provider", "'" + providerName + "' is not a provider declared under providers"
                            + (providers.isEmpty() ? " (none is declared)" : " (declared: " + String.join(", ", providers.keySet()) + ")"));
                }
                deployments.add(new Deployment(provider, required(d.model(), dAt + "/model"),
                        between(d.weight(), 1, 0, 1_000_000, dAt + "/weight"),
                        between(d.priority(), 0, 0, 1_000, dAt + "/priority"),
                        between(d.maxConcurrent(), 0, 0, 1_000_000, dAt + "/max_concurrent"),
                        timeouts(d.timeouts(), provider.timeouts(), dAt + "/timeouts"),
                        Optional.ofNullable(d.price()).map(p -> price(p, dAt + "/price")),
                        micros(d.costPerHour(), dAt + "/cost_per_hour")));
            }
            String strategyName = e.strategy() == null ? Strategy.PRIORITY.configName() : e.strategy();
            Strategy strategy = Strategy.fromConfigName(strategyName).orElseThrow(() -> error(at + "/strategy",
                    "unknown strategy '" + strategyName + "' (supported: " + Strategy.supportedNames() + ")"));
            models.add(new Model(name, aliases(orEmpty(e.aliases()), at + "/aliases", exactAliases), deployments,
                    price(e.price(), at + "/price"), strategy, orEmpty(e.fallbacks()), retry(e.retry(), at + "/retry"),
                    queue(e.queue(), at + "/queue"), !Boolean.FALSE.equals(e.acceptsImages()), limits(name, e.limits(), at + "/limits")));
        }
        for (int i = 0; i < models.size(); i++) {
            for (int j = 0; j < models.get(i).fallbacks().size(); j++) {
                String fallback = models.get(i).fallbacks().get(j);
                if (!names.contains(fallback) || fallback.equals(models.get(i).name())) {
                    fail("/models/" + i + "/fallbacks/" + j, "'" + fallback + "' is not another model of this file");
                }
            }
        }
        for (int i = 0; i < models.size(); i++) {
            for (int j = 0; j < models.get(i).aliases().size(); j++) {
                String alias = models.get(i).aliases().get(j);
                if (names.contains(alias)) fail("/models/" + i + "/aliases/" + j, "'" + alias + "' is already the name of a model");
            }
        }
        return models;
    }

    private List<String> aliases(List<String> aliases, String at, Set<String> exactAliasesSeen) {
        for (int i = 0; i < aliases.size(); i++) {
            String alias = required(aliases.get(i), at + "/" + i);
            if (!alias.contains("*") && !exactAliasesSeen.add(alias)) fail(at + "/" + i, "alias '" + alias + "' is given to two models");
        }
        return aliases;
    }

    private Timeouts timeouts(ConfigFile.TimeoutsEntry t, Timeouts fallback, String at) {
        if (t == null) return fallback;
        return new Timeouts(millis(t.connectMs(), fallback.connect(), at + "/connect_ms"),
                millis(t.firstTokenMs(), fallback.firstToken(), at + "/first_token_ms"),
                millis(t.idleMs(), fallback.idle(), at + "/idle_ms"),
                millis(t.totalMs(), fallback.total(), at + "/total_ms"));
    }

    private RetryPolicy retry(ConfigFile.RetryEntry r, String at) {
        if (r == null) return RetryPolicy.DEFAULT;
        var d = RetryPolicy.DEFAULT;
        return new RetryPolicy(between(r.maxAttempts(), d.maxAttempts(), 1, 20, at + "/max_attempts"),
                millis(r.initialBackoffMs(), d.initialBackoff(), at + "/initial_backoff_ms"),
                millis(r.maxBackoffMs(), d.maxBackoff(), at + "/max_backoff_ms"),
                millis(r.deadlineMs(), d.deadline(), at + "/deadline_ms"));
    }

    private QueuePolicy queue(ConfigFile.QueueEntry q, String at) {
        if (q == null) return QueuePolicy.DEFAULT;
        return new QueuePolicy(between(q.maxWaiting(), QueuePolicy.DEFAULT.maxWaiting(), 0, 1_000_000, at + "/max_waiting"),
                millis(q.maxWaitMs(), QueuePolicy.DEFAULT.maxWait(), at + "/max_wait_ms"));
    }

    private Price price(ConfigFile.PriceEntry p, String at) {
        if (p == null) return Price.FREE;
        long input = micros(p.inputPerMtok(), at + "/input_per_mtok");
        return new Price(input, micros(p.outputPerMtok(), at + "/output_per_mtok"),
                p.cachedInputPerMtok() == null ? input : micros(p.cachedInputPerMtok(), at + "/cached_input_per_mtok"));
    }

    private long micros(BigDecimal usdPerMtok, String at) {
        if (usdPerMtok == null) return 0;
        if (usdPerMtok.signum() < 0) fail(at, "a price cannot be negative");
        return usdPerMtok.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private URI url(String value, String at) {
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                fail(at, "must be an http:// or https:// URL, got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw error(at, "is not a valid URL: '" + value + "'");
        }
    }

    private Duration millis(Long value, Duration fallback, String at) {
        if (value == null) return fallback;
        if (value <= 0) fail(at, "must be positive, got " + value);
        return Duration.ofMillis(value);
    }

    private int between(Integer value, int fallback, int min, int max, String at) {
        if (value == null) return fallback;
        if (value < min || value > max) fail(at, "must be between " + min + " and " + max + ", got " + value);
        return value;
    }

    /** The constant whose lower-case name is {@code value}; the message lists them all. */
    private <E extends Enum<E>> E oneOf(Class<E> type, String value, E fallback, String at) {
        if (value == null) return fallback;
        E[] constants = type.getEnumConstants();
        for (E e : constants) if (e.name().toLowerCase(Locale.ROOT).equals(value)) return e;
        var names = Arrays.stream(constants).map(e -> "'" + e.name().toLowerCase(Locale.ROOT) + "'").toList();
        fail(at, "must be " + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast()
                + ", got '" + value + "'");
        return fallback; // not reached: fail throws
    }

    private String required(String value, String at) {
        if (value == null || value.isBlank()) fail(at, "is required");
        return value;
    }

    private static <T> List<T> orEmpty(List<T> list) { return list == null ? List.of() : list; }

    private void fail(String pointer, String problem) { throw error(pointer, problem); }

    private ConfigException error(String pointer, String problem) {
        int line = locator.lineOf(pointer);
        return new ConfigException(sourceName + (line > 0 ? " line " + line : "") + ": "
                + YamlLocator.readable(pointer) + ": " + problem);
    }
}
