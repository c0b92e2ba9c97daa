package dev.gantry.translate;

import dev.gantry.catalog.ProviderType;
import dev.gantry.protocol.Endpoint;
import dev.gantry.translate.fromanthropic.AnthropicToChatTranslation;
import java.util.Optional;

/**
 * Which translation serves a client endpoint on a provider of another protocol. Same-protocol
 * pairs have none: they are passed through untouched.
 */
public final class Translations {

    /** The upstream endpoint to call and the translation to apply. */
    public record Route(Endpoint upstreamEndpoint, Translation translation) {}

    private static final Translation ANTHROPIC_ON_CHAT = new AnthropicToChatTranslation();

    private Translations() {}

    /**
     * @param supportsResponses the OpenAI-type provider serves {@code /v1/responses} itself
     * @return empty when the request is passed through as it is (or cannot be served at all,
     *         which the provider adapter reports)
     */
    public static Optional<Route> find(Endpoint client, ProviderType upstream, boolean supportsResponses) {
        return switch (client) {
            case MESSAGES -> upstream == ProviderType.OPENAI
                    ? Optional.of(new Route(Endpoint.CHAT_COMPLETIONS, ANTHROPIC_ON_CHAT)) : Optional.empty();
            default -> Optional.empty();
        };
    }
}
