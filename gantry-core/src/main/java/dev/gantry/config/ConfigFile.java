package dev.gantry.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The configuration file exactly as written: bound by Jackson with unknown fields rejected, every
 * field nullable. {@link ConfigValidator} turns it into the immutable {@link GatewayConfig}, filling
 * defaults and checking references. Field names are snake_case in YAML.
 */
record ConfigFile(Server server, Database database, Redis redis, Usage usage, Routing routing, Governance governance,
                  Telemetry telemetry, Alerts alerts, List<ProviderEntry> providers, List<ModelEntry> models) {

    record Telemetry(String otlpEndpoint, String serviceName, Double sampleRatio, Map<String, String> headers) {}

    record Alerts(String webhook, Boolean deploymentDown, ErrorRate errorRate) {}

    record ErrorRate(Boolean enabled, Double threshold, Integer windowSeconds, Integer minRequests) {}

    record Governance(String timeZone, String alertWebhook, List<Integer> alertThresholds, Long maxOutputTokens) {}

    record LimitsEntry(Long rpm, Long tpm, Integer maxParallel) {}

    record Routing(Integer breakerFailures, Long breakerCooldownMs) {}

    record Server(Integer port, String host, Long maxBodyBytes, Integer eventLoops, Integer shutdownGraceSeconds, String transport) {}

    record Database(String url, String username, String password, Integer poolSize) {}

    record Redis(String url) {}

    record Usage(Integer batchSize, Integer flushIntervalMs, Integer queueCapacity, String durability, String spoolDir,
                 Integer bodyRetentionDays) {}

    record ProviderEntry(String name, String type, String baseUrl, String apiKey, Map<String, String> headers,
                         TimeoutsEntry timeouts, Boolean responsesApi, HealthCheckEntry healthCheck, TlsEntry tls) {}

    record TlsEntry(String caFile, String certFile, String keyFile) {}

    record HealthCheckEntry(String path, Long intervalMs, Long timeoutMs) {}

    record TimeoutsEntry(Long connectMs, Long firstTokenMs, Long idleMs, Long totalMs) {}

    record ModelEntry(String name, List<String> aliases, String strategy, List<String> fallbacks, RetryEntry retry,
                      QueueEntry queue, Boolean acceptsImages, List<DeploymentEntry> deployments, PriceEntry price,
                      LimitsEntry limits) {}

    record QueueEntry(Integer maxWaiting, Long maxWaitMs) {}

    record RetryEntry(Integer maxAttempts, Long initialBackoffMs, Long maxBackoffMs, Long deadlineMs) {}

    record DeploymentEntry(String provider, String model, Integer weight, Integer priority, Integer maxConcurrent,
                           TimeoutsEntry timeouts, PriceEntry price, BigDecimal costPerHour) {}

    record PriceEntry(BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok) {}
}
