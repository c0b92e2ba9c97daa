package dev.gantry.server.provider;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.ProviderType;
import dev.gantry.protocol.Endpoint;
import io.vertx.core.MultiMap;
import java.util.Optional;

/**
 * Knows how to address one kind of provider: its paths, how it takes credentials, which of the
 * client's headers it understands. The client's own credentials never pass: adapters build the
 * upstream headers from scratch and copy only the protocol headers they name.
 */
public interface ProviderAdapter {

    /** The upstream request for {@code endpoint}, or empty if this provider does not speak it. */
    Optional<UpstreamRequest> request(Deployment deployment, Endpoint endpoint, MultiMap clientHeaders);

    static ProviderAdapter of(ProviderType type) {
        return switch (type) {
            case OPENAI -> OpenAiAdapter.INSTANCE;
            case ANTHROPIC -> AnthropicAdapter.INSTANCE;
        };
    }
}
