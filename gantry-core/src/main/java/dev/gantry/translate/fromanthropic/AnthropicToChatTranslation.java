package dev.gantry.translate.fromanthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.translate.StreamTranslator;
import dev.gantry.translate.Translation;

/**
 * Anthropic Messages clients (Claude Code, the Anthropic SDKs) on OpenAI Chat Completions
 * upstreams (vLLM, SGLang, Ollama, DeepSeek and other OpenAI-compatible hosts), faithfully enough
 * that the client cannot tell.
 *
 * <p>Where the two protocols differ, this is what it does:
 * <ul>
 *   <li>Tool results become {@code role: tool} messages ahead of the rest of their user turn;
 *       images inside them move to the user message that follows. {@code is_error} results
 *       start with "Error: ".</li>
 *   <li>Thinking in the history goes back as {@code reasoning_content} on turns that called tools
 *       (DeepSeek's thinking mode requires it; Qwen3/Kimi/GLM templates use it) and is dropped
 *       elsewhere; redacted thinking is always dropped.</li>
 *   <li>Server tools ({@code web_search}, {@code bash_20250124}...) and the {@code thinking}
 *       setting are dropped; {@code top_k} is passed on; streams always ask for usage.</li>
 *   <li>Claude Code's per-request billing line is cut from the system prompt, so that the
 *       upstream's prefix cache keeps hitting.</li>
 *   <li>Stop reasons: stop → end_turn, length → max_tokens, tool_calls → tool_use (also when a
 *       server says "stop" beside tool calls), content_filter → refusal; a stop sequence is
 *       reported as such when the server names the matched string (vLLM's {@code stop_reason},
 *       SGLang's {@code matched_stop}); plain OpenAI cannot tell, so end_turn.</li>
 *   <li>Usage: {@code input_tokens} = prompt tokens minus cached ones, cached ones as
 *       {@code cache_read_input_tokens}; a stream reports them in {@code message_delta}.</li>
 *   <li>Tool arguments that are not a JSON object reach the client as {@code {"_raw": text}}
 *       (complete answers) or verbatim (streams, which relay fragments as they come).</li>
 *   <li>Errors take Anthropic's types by status; 503 becomes 529 {@code overloaded_error};
 *       context-window errors take Anthropic's wording, which Claude Code acts on.</li>
 * </ul>
 * Stateless and thread-safe; each stream's state lives in its {@link StreamTranslator}.
 */
public final class AnthropicToChatTranslation implements Translation {
    private final ObjectMapper json = ChatFields.newMapper();
    private final MessagesRequestMapper requests = new MessagesRequestMapper(json);
    private final ChatResponseMapper responses = new ChatResponseMapper(json);
    private final ErrorMapper errors = new ErrorMapper(json);

    public AnthropicToChatTranslation() {}

    @Override
    public byte[] request(byte[] clientBody, String upstreamModel) {
        return requests.map(clientBody, upstreamModel);
    }

    @Override
    public byte[] response(byte[] upstreamBody, String clientModel) {
        return responses.map(upstreamBody, clientModel);
    }

    @Override
    public byte[] error(int status, byte[] upstreamBody) {
        return errors.body(status, upstreamBody);
    }

    @Override
    public int errorStatus(int upstreamStatus) {
        return ErrorMapper.status(upstreamStatus);
    }

    @Override
    public StreamTranslator stream(String clientModel) {
        return new ChatStreamToMessagesStream(json, errors, clientModel);
    }
}
