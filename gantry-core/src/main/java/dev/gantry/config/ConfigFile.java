package dev.gantry.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The configuration file exactly as written: bound by Jackson with unknown fields rejected, every
 * field nullable. {@link ConfigValidator} turns it into the immutable {@link GatewayConfig}, filling
 * defaults and checking references. Field names are snake_case in YAML.
 */
record ConfigFile(Server server, Database database, Redis redis, Usage usage,
                  List<ProviderEntry> providers, List<ModelEntry> models) {

    record Server(Integer port, String host, Long maxBodyBytes, Integer eventLoops, Integer shutdownGraceSeconds) {}

    record Database(String url, String username, String password, Integer poolSize) {}

    record Redis(String url) {}

    record Usage(Integer batchSize, Integer flushIntervalMs, Integer queueCapacity) {}

    record ProviderEntry(String name, String type, String baseUrl, String apiKey, Map<String, String> headers,
                         TimeoutsEntry timeouts, Boolean responsesApi) {}

    record TimeoutsEntry(Long connectMs, Long readMs) {}

    record ModelEntry(String name, List<String> aliases, List<DeploymentEntry> deployments, PriceEntry price) {}

    record DeploymentEntry(String provider, String model) {}

    record PriceEntry(BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok) {}
}
