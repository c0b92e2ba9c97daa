package dev.gantry.catalog;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A place that serves models: a self-hosted vLLM/SGLang/Ollama server, a cheap host or a frontier
 * API. {@code baseUrl} is the prefix the protocol's paths are appended to, as the vendors document
 * it ({@code http://host:8000/v1} for OpenAI-compatible servers, {@code https://api.anthropic.com}
 * for Anthropic). {@code headers} are sent on every upstream request (e.g. OpenRouter's referer).
 * {@code servesResponsesApi}: an OpenAI-type provider that serves {@code /v1/responses} itself
 * (OpenAI does; most self-hosted servers do not), so Responses clients are passed through to it
 * instead of being translated to Chat Completions. {@code tls}: for an https provider, its own
 * certificate authorities and the gateway's client certificate; empty for the JDK's defaults.
 */
public record Provider(String name, ProviderType type, URI baseUrl, Secret apiKey,
                       Map<String, String> headers, Timeouts timeouts, boolean servesResponsesApi,
                       Optional<HealthCheck> healthCheck, Optional<ProviderTls> tls) {

    public Provider {
        headers = Map.copyOf(headers);
    }

    public Provider withApiKey(Secret key) {
        return new Provider(name, type, baseUrl, key, headers, timeouts, servesResponsesApi, healthCheck, tls);
    }

    /**
     * An active probe of a self-hosted server: {@code GET path} (on the base URL's host, e.g.
     * {@code /health} for vLLM and SGLang, {@code /v1/models} for most others) every
     * {@code interval}; while it fails, the provider's deployments are out of rotation.
     */
    public record HealthCheck(String path, java.time.Duration interval, java.time.Duration timeout) {}
}
