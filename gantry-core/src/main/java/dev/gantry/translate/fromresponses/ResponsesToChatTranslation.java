package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import dev.gantry.translate.StreamTranslator;
import dev.gantry.translate.Translation;
import java.time.Clock;

/**
 * OpenAI Responses API clients (Codex, the newer SDKs) on Chat Completions upstreams (vLLM, SGLang,
 * Ollama, hosted OpenAI-compatible servers).
 *
 * <p>Requests: {@code instructions} and system/developer items become one system message; message,
 * function-call and call-output items become Chat messages (reasoning items become
 * {@code reasoning_content} on the tool-calling assistant message after them); function tools become Chat tools, and
 * so do custom tools (one string argument, {@code input}: Codex's free-form {@code apply_patch})
 * and {@code local_shell}; hosted tools are dropped; streams always ask for usage. Stored state
 * ({@code previous_response_id}) is refused: this gateway keeps no responses. Answers: a
 * {@code response} object with reasoning, message and call items, and the usage; streams become
 * the Responses event sequence ({@link ChatToResponsesStream}).
 *
 * <p>A response object repeats the request's parameters ({@code tools}, {@code tool_choice},
 * {@code instructions}, {@code temperature}...), and calls of custom and local-shell tools come back
 * as their own item types: both need the client's request, which the answer and stream methods
 * do not see. {@link #forRequest} binds a translation to a request; the shared instance made by
 * the no-argument constructor reports OpenAI's defaults and function calls only.
 */
public final class ResponsesToChatTranslation implements Translation {
    private final Clock clock;
    private final Ids ids;
    private final ResponsesContext context;

    public ResponsesToChatTranslation() {
        this(Clock.systemUTC(), Ids.RANDOM, ResponsesContext.NONE);
    }

    ResponsesToChatTranslation(Clock clock, Ids ids, ResponsesContext context) {
        this.clock = clock;
        this.ids = ids;
        this.context = context;
    }

    /**
     * This translation for one client request: its answers echo the request's parameters and give
     * calls of custom and local-shell tools back as {@code custom_tool_call} and
     * {@code local_shell_call} items. Parses the request (it may be large); call once per request.
     */
    public ResponsesToChatTranslation forRequest(byte[] clientBody) {
        return new ResponsesToChatTranslation(clock, ids, ResponsesContext.of(TranslationJson.request(clientBody)));
    }

    @Override
    public byte[] request(byte[] clientBody, String upstreamModel) {
        return ResponsesRequestMapper.toChat(clientBody, upstreamModel);
    }

    @Override
    public byte[] response(byte[] upstreamBody, String clientModel) {
        return ChatCompletionMapper.toResponse(upstreamBody, clientModel, clock.instant().getEpochSecond(), ids, context);
    }

    @Override
    public byte[] error(int status, byte[] upstreamBody) {
        return OpenAiErrorMapper.toOpenAi(status, upstreamBody);
    }

    @Override
    public StreamTranslator stream(String clientModel) {
        return new ChatToResponsesStream(clientModel, clock.instant().getEpochSecond(), ids, context);
    }
}
