package dev.gantry.translate.fromchat;

import dev.gantry.protocol.RequestInspector;
import dev.gantry.translate.StreamTranslator;
import dev.gantry.translate.Translation;
import java.time.Clock;

/**
 * OpenAI Chat Completions clients (OpenCode, Cursor, Continue, the OpenAI SDKs) on Anthropic
 * Messages upstreams.
 *
 * <p>Requests: system and developer messages become {@code system}; turns are merged to alternate;
 * tool calls and tool results become {@code tool_use}/{@code tool_result} blocks; images and PDFs
 * become image and document blocks; {@code max_tokens}, which Anthropic requires, defaults to what
 * every model of the upstream's generation accepts (4,096 for Claude 3 and unknown models, 8,192 for
 * Claude 3.5, 32,000 from Claude 3.7 on); {@code reasoning_effort} becomes extended thinking where
 * that is safe; {@code response_format: json_schema} is answered through a forced tool. Answers:
 * text blocks joined, {@code tool_use} → {@code tool_calls}, thinking → {@code reasoning_content}
 * (as DeepSeek and vLLM name it), cache reads and writes counted in {@code prompt_tokens}.
 *
 * <p>{@code stream_options.include_usage} is a property of the client's request that the stream,
 * made from the model name alone, cannot see: {@link #forRequest} binds a translation to a
 * request. The shared instance made by the no-argument constructor streams no usage chunk, as
 * OpenAI does when the client did not ask for one.
 */
public final class ChatToAnthropicTranslation implements Translation {
    private final Clock clock;
    private final boolean includeUsage;

    public ChatToAnthropicTranslation() {
        this(Clock.systemUTC(), false);
    }

    ChatToAnthropicTranslation(Clock clock, boolean includeUsage) {
        this.clock = clock;
        this.includeUsage = includeUsage;
    }

    /**
     * This translation for one client request: its streams end with the usage chunk when the request
     * asked for it ({@code stream_options.include_usage: true}). Reads only the stream options.
     */
    public ChatToAnthropicTranslation forRequest(byte[] clientBody) {
        return withStreamUsage(RequestInspector.inspect(clientBody).clientWantsUsage());
    }

    /** This translation, its streams sending the usage chunk or not (for a caller that already read the request). */
    public ChatToAnthropicTranslation withStreamUsage(boolean includeUsage) {
        return includeUsage == this.includeUsage ? this : new ChatToAnthropicTranslation(clock, includeUsage);
    }

    @Override
    public byte[] request(byte[] clientBody, String upstreamModel) {
        return ChatRequestMapper.toAnthropic(clientBody, upstreamModel);
    }

    @Override
    public byte[] response(byte[] upstreamBody, String clientModel) {
        return AnthropicMessageMapper.toChatCompletion(upstreamBody, clientModel, clock.instant().getEpochSecond());
    }

    @Override
    public byte[] error(int status, byte[] upstreamBody) {
        return AnthropicErrorMapper.toOpenAi(status, upstreamBody);
    }

    /** Anthropic's 529 (overloaded) → 503, which OpenAI clients know and retry; every other status is kept. */
    @Override
    public int errorStatus(int upstreamStatus) {
        return AnthropicErrorMapper.status(upstreamStatus);
    }

    @Override
    public StreamTranslator stream(String clientModel) {
        return new AnthropicToChatStream(clientModel, clock.instant().getEpochSecond(), includeUsage);
    }
}
