package dev.gantry.translate;

import dev.gantry.catalog.ProviderType;
import dev.gantry.protocol.Endpoint;
import dev.gantry.translate.fromanthropic.AnthropicToChatTranslation;
import dev.gantry.translate.fromchat.ChatToAnthropicTranslation;
import dev.gantry.translate.fromresponses.ResponsesToChatTranslation;
import java.util.Optional;

/**
 * Which translation serves a client endpoint on a provider of another protocol. Same-protocol
 * pairs have none: they are passed through untouched.
 */
public final class Translations {

    /** The upstream endpoint to call and the translation to apply. */
    public record Route(Endpoint upstreamEndpoint, Translation translation) {}

    private static final Translation ANTHROPIC_ON_CHAT = new AnthropicToChatTranslation();
    private static final Translation CHAT_ON_ANTHROPIC = new ChatToAnthropicTranslation();
    private static final Translation RESPONSES_ON_CHAT = new ResponsesToChatTranslation();
    private static final Translation RESPONSES_ON_ANTHROPIC = new ComposedTranslation(RESPONSES_ON_CHAT, CHAT_ON_ANTHROPIC);

    private Translations() {}

    /**
     * @param supportsResponses the OpenAI-type provider serves {@code /v1/responses} itself
     * @return empty when the request is passed through as it is (or cannot be served at all,
     *         which the provider adapter reports)
     */
    public static Optional<Route> find(Endpoint client, ProviderType upstream, boolean supportsResponses) {
        Route route = switch (client) {
            case MESSAGES -> upstream == ProviderType.OPENAI ? new Route(Endpoint.CHAT_COMPLETIONS, ANTHROPIC_ON_CHAT) : null;
            case CHAT_COMPLETIONS -> upstream == ProviderType.ANTHROPIC ? new Route(Endpoint.MESSAGES, CHAT_ON_ANTHROPIC) : null;
            case RESPONSES -> switch (upstream) {
                case OPENAI -> supportsResponses ? null : new Route(Endpoint.CHAT_COMPLETIONS, RESPONSES_ON_CHAT);
                case ANTHROPIC -> new Route(Endpoint.MESSAGES, RESPONSES_ON_ANTHROPIC);
            };
            case EMBEDDINGS, COUNT_TOKENS -> null; // no counterpart: embeddings only on OpenAI-type; count_tokens estimated
        };
        return Optional.ofNullable(route);
    }
}
