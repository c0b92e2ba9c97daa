package dev.gantry.translate.fromchat;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.translate.SseEvent;
import dev.gantry.translate.SseParser;
import dev.gantry.translate.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic's message stream → {@code chat.completion.chunk} events, one upstream event at a time.
 *
 * <p>The mapping: {@code message_start} → the first chunk ({@code delta.role}); text and thinking
 * deltas → {@code delta.content} / {@code delta.reasoning_content}; a {@code tool_use} block →
 * a {@code tool_calls} delta carrying index, id, type and name with empty arguments, then its
 * {@code input_json_delta} fragments as {@code function.arguments} as they come (never parsed);
 * {@code message_delta} → the finish-reason chunk; {@code message_stop} → the usage chunk (only
 * when the client asked for it with {@code stream_options.include_usage}) and {@code [DONE]}.
 * Chat tool calls are numbered from 0 in the order they start, whatever their block index.
 *
 * <p>Endings: an Anthropic {@code error} event becomes OpenAI's {@code data: {"error":...}} (the SDKs
 * raise on it) and ends the stream; an upstream that stops without {@code message_stop} is closed
 * properly all the same (finish reason, usage, {@code [DONE]}). Nothing follows an ending.
 */
final class AnthropicToChatStream implements StreamTranslator {
    private static final byte[] NOTHING = new byte[0];
    private static final byte[] DONE = SseEvent.data("[DONE]").toBytes();

    private final SseParser parser = new SseParser();
    private final String clientModel;
    private final long created;
    private final boolean includeUsage;

    private String id;
    private boolean started;
    private boolean finished;
    private boolean ended;
    /** Anthropic block index → Chat tool-call index. */
    private final Map<Integer, Integer> toolCalls = new HashMap<>();
    /** Blocks of the structured-output tool, whose input is the answer's text. */
    private final Set<Integer> jsonBlocks = new HashSet<>();
    private long inputTokens, cacheReadTokens, cacheCreationTokens, outputTokens;

    AnthropicToChatStream(String clientModel, long created, boolean includeUsage) {
        this.clientModel = clientModel;
        this.created = created;
        this.includeUsage = includeUsage;
    }

    @Override
    public byte[] feed(byte[] upstreamChunk) {
        return translate(parser.feed(upstreamChunk));
    }

    @Override
    public byte[] end() {
        var out = new ByteArrayOutputStream();
        out.writeBytes(translate(parser.finish()));
        if (!ended) {
            ensureStarted(out);
            if (!finished) finish(out, null);
            close(out);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] fail(ErrorCode code, String message) {
        if (ended) return NOTHING;
        ended = true;
        ObjectNode error = TranslationJson.object();
        error.put("message", message);
        error.put("type", code.openAiType());
        error.putNull("param");
        error.put("code", code.openAiCode());
        return SseEvent.data(TranslationJson.write(AnthropicErrorMapper.wrap(error))).toBytes();
    }

    private byte[] translate(List<SseEvent> events) {
        if (events.isEmpty()) return NOTHING;
        var out = new ByteArrayOutputStream();
        for (SseEvent event : events) {
            if (ended) break;
            JsonNode data = TranslationJson.parseOrNull(event.data());
            if (data == null || !data.isObject()) continue; // not JSON: nothing a client could use
            String type = TranslationJson.text(data.get("type"));
            if (type == null) type = event.event();
            if (type == null) continue;
            handle(type, data, out);
        }
        return out.toByteArray();
    }

    private void handle(String type, JsonNode data, ByteArrayOutputStream out) {
        switch (type) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                if (id == null) id = AnthropicMessageMapper.chatId(TranslationJson.text(message.get("id")));
                readUsage(message.path("usage"));
                ensureStarted(out);
            }
            case "content_block_start" -> blockStart(data.path("index").asInt(), data.path("content_block"), out);
            case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"), out);
            case "message_delta" -> {
                readUsage(data.path("usage"));
                if (!finished) {
                    ensureStarted(out);
                    finish(out, TranslationJson.text(data.path("delta").get("stop_reason")));
                }
            }
            case "message_stop" -> {
                ensureStarted(out);
                if (!finished) finish(out, null);
                close(out);
            }
            case "error" -> {
                JsonNode error = data.path("error");
                ObjectNode openAi = AnthropicErrorMapper.openAiError(TranslationJson.text(error.get("type")), TranslationJson.text(error.get("message")), 500);
                out.writeBytes(SseEvent.data(TranslationJson.write(AnthropicErrorMapper.wrap(openAi))).toBytes());
                ended = true;
            }
            default -> { } // ping, content_block_stop, and events added after this was written
        }
    }

    private void blockStart(int index, JsonNode block, ByteArrayOutputStream out) {
        ensureStarted(out);
        switch (String.valueOf(TranslationJson.text(block.get("type")))) {
            case "tool_use" -> {
                String name = TranslationJson.text(block.get("name"));
                if (ChatRequestMapper.JSON_TOOL.equals(name)) {
                    jsonBlocks.add(index);
                    return;
                }
                int toolIndex = toolCalls.size();
                toolCalls.put(index, toolIndex);
                ObjectNode call = TranslationJson.object();
                call.put("index", toolIndex);
                call.put("id", TranslationJson.text(block.get("id")));
                call.put("type", "function");
                call.putObject("function").put("name", name).put("arguments", "");
                ObjectNode delta = TranslationJson.object();
                delta.putArray("tool_calls").add(call);
                chunk(out, delta, null);
            }
            case "text" -> text(out, "content", TranslationJson.text(block.get("text")));
            case "thinking" -> text(out, "reasoning_content", TranslationJson.text(block.get("thinking")));
            default -> { }
        }
    }

    private void blockDelta(int index, JsonNode delta, ByteArrayOutputStream out) {
        ensureStarted(out);
        switch (String.valueOf(TranslationJson.text(delta.get("type")))) {
            case "text_delta" -> text(out, "content", TranslationJson.text(delta.get("text")));
            case "thinking_delta" -> text(out, "reasoning_content", TranslationJson.text(delta.get("thinking")));
            case "input_json_delta" -> {
                String fragment = TranslationJson.text(delta.get("partial_json"));
                if (fragment == null || fragment.isEmpty()) return;
                if (jsonBlocks.contains(index)) {
                    text(out, "content", fragment);
                    return;
                }
                Integer toolIndex = toolCalls.get(index);
                if (toolIndex == null) return; // a fragment of a block that never started
                ObjectNode call = TranslationJson.object();
                call.put("index", toolIndex);
                call.putObject("function").put("arguments", fragment);
                ObjectNode d = TranslationJson.object();
                d.putArray("tool_calls").add(call);
                chunk(out, d, null);
            }
            default -> { } // signature and citation deltas
        }
    }

    private void text(ByteArrayOutputStream out, String field, String text) {
        if (text == null || text.isEmpty()) return;
        chunk(out, TranslationJson.object().put(field, text), null);
    }

    private void ensureStarted(ByteArrayOutputStream out) {
        if (started) return;
        started = true;
        if (id == null) id = AnthropicMessageMapper.chatId(null);
        chunk(out, TranslationJson.object().put("role", "assistant").put("content", ""), null);
    }

    private void finish(ByteArrayOutputStream out, String stopReason) {
        finished = true;
        chunk(out, TranslationJson.object(), AnthropicMessageMapper.finishReason(stopReason, !toolCalls.isEmpty()));
    }

    private void close(ByteArrayOutputStream out) {
        if (includeUsage) {
            ObjectNode chunk = base();
            chunk.putArray("choices");
            chunk.set("usage", AnthropicMessageMapper.usage(inputTokens, cacheReadTokens, cacheCreationTokens, outputTokens));
            out.writeBytes(SseEvent.data(TranslationJson.write(chunk)).toBytes());
        }
        out.writeBytes(DONE);
        ended = true;
    }

    /** message_start carries the input counts, message_delta the (cumulative) output count and, lately, updated input counts. */
    private void readUsage(JsonNode usage) {
        if (!usage.isObject()) return;
        if (usage.hasNonNull("input_tokens")) inputTokens = usage.path("input_tokens").asLong();
        if (usage.hasNonNull("cache_read_input_tokens")) cacheReadTokens = usage.path("cache_read_input_tokens").asLong();
        if (usage.hasNonNull("cache_creation_input_tokens")) cacheCreationTokens = usage.path("cache_creation_input_tokens").asLong();
        if (usage.hasNonNull("output_tokens")) outputTokens = usage.path("output_tokens").asLong();
    }

    private ObjectNode base() {
        ObjectNode chunk = TranslationJson.object();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", clientModel);
        return chunk;
    }

    private void chunk(ByteArrayOutputStream out, ObjectNode delta, String finishReason) {
        ObjectNode chunk = base();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        if (includeUsage) chunk.putNull("usage"); // as OpenAI does once usage was asked for
        out.writeBytes(SseEvent.data(TranslationJson.write(chunk)).toBytes());
    }
}
