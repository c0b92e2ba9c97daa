package dev.gantry.server.provider;

import dev.gantry.catalog.Deployment;
import dev.gantry.protocol.Endpoint;
import io.vertx.core.MultiMap;
import java.util.Optional;

/** Anthropic's Messages API. The base URL has no {@code /v1}, as in Anthropic's SDKs. */
final class AnthropicAdapter implements ProviderAdapter {
    static final AnthropicAdapter INSTANCE = new AnthropicAdapter();
    /** Sent when the client gave none: the API refuses requests without a version. */
    static final String DEFAULT_VERSION = "2023-06-01";

    @Override
    public Optional<UpstreamRequest> request(Deployment deployment, Endpoint endpoint, MultiMap clientHeaders) {
        String path = switch (endpoint) {
            case MESSAGES -> "/v1/messages";
            case COUNT_TOKENS -> "/v1/messages/count_tokens";
            case CHAT_COMPLETIONS, RESPONSES, EMBEDDINGS -> null;
        };
        if (path == null) return Optional.empty();
        var provider = deployment.provider();
        MultiMap headers = UpstreamRequests.baseHeaders(provider, clientHeaders);
        if (!provider.apiKey().isEmpty()) headers.add("x-api-key", provider.apiKey().value());
        String version = clientHeaders.get("anthropic-version");
        headers.add("anthropic-version", version != null ? version : DEFAULT_VERSION);
        for (String beta : clientHeaders.getAll("anthropic-beta")) headers.add("anthropic-beta", beta);
        return Optional.of(UpstreamRequests.build(deployment, path, headers));
    }
}
