package dev.gantry.server.provider;

import dev.gantry.catalog.Deployment;
import dev.gantry.protocol.Endpoint;
import io.vertx.core.MultiMap;
import java.util.Optional;

/** OpenAI and every server that copies its API. Base URLs end in {@code /v1}, as in OpenAI's SDKs. */
final class OpenAiAdapter implements ProviderAdapter {
    static final OpenAiAdapter INSTANCE = new OpenAiAdapter();

    @Override
    public Optional<UpstreamRequest> request(Deployment deployment, Endpoint endpoint, MultiMap clientHeaders) {
        String path = switch (endpoint) {
            case CHAT_COMPLETIONS -> "/chat/completions";
            case RESPONSES -> "/responses";
            case EMBEDDINGS -> "/embeddings";
            case MESSAGES, COUNT_TOKENS -> null;
        };
        if (path == null) return Optional.empty();
        var provider = deployment.provider();
        MultiMap headers = UpstreamRequests.baseHeaders(provider, clientHeaders);
        if (!provider.apiKey().isEmpty()) headers.add("authorization", "Bearer " + provider.apiKey().value());
        String beta = clientHeaders.get("openai-beta");
        if (beta != null) headers.add("openai-beta", beta);
        return Optional.of(UpstreamRequests.build(deployment, path, headers));
    }
}
