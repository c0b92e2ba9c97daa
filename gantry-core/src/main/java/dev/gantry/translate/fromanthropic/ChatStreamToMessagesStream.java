package dev.gantry.translate.fromanthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.translate.SseEvent;
import dev.gantry.translate.SseParser;
import dev.gantry.translate.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Chat Completions stream, as it arrives, as an Anthropic Messages stream.
 *
 * <h2>Shape</h2>
 * Anthropic's stream is {@code message_start}, {@code ping}, then blocks one at a time
 * ({@code content_block_start}, deltas, {@code content_block_stop}), then {@code message_delta}
 * (stop reason, usage) and {@code message_stop}. A Chat stream is a flat run of deltas in which
 * reasoning, text and tool-call fragments may each appear; a block opens when the kind of delta
 * changes (reasoning to text, text to a tool call, tool call {@code index} 0 to 1) and the previous
 * one closes at that moment. Nothing is held back but what must be: a tool call's arguments until
 * its name is known (the block start carries it), and {@code message_delta} until the upstream's
 * usage, which arrives in a chunk of its own after {@code finish_reason} (stream_options
 * include_usage, which the request mapper always sets), or at {@code [DONE]} or the end.
 *
 * <h2>Usage</h2>
 * An OpenAI stream tells token counts only at its end, so {@code message_start} carries zeros and
 * {@code message_delta} carries the real {@code input_tokens}, cache reads and
 * {@code output_tokens} (the Anthropic SDKs and Claude Code take input counts from
 * {@code message_delta} when present).
 *
 * <h2>Robustness</h2>
 * An event whose JSON does not parse is skipped. A stream that stops without finish reason or
 * {@code [DONE]} is closed properly by {@link #end()}: open block closed, stop reason
 * {@code tool_use} if a tool was called, else {@code end_turn}. An error the upstream reports inside
 * its stream becomes Anthropic's {@code event: error}, which ends the stream.
 *
 * <p>Not thread-safe: one stream, one event loop (as {@link StreamTranslator} says).
 */
final class ChatStreamToMessagesStream implements StreamTranslator {
    private static final Logger log = LoggerFactory.getLogger(ChatStreamToMessagesStream.class);
    private static final byte[] NOTHING = new byte[0];

    private enum Kind { NONE, THINKING, TEXT, TOOL }

    /** One upstream tool call; its Anthropic block starts once its name is known. */
    private static final class ToolCall {
        String id;
        String name;
        int block = -1;
        final StringBuilder early = new StringBuilder(0); // argument fragments that came before the name
    }

    private final ObjectMapper json;
    private final ErrorMapper errors;
    private final String clientModel;
    private final SseParser parser = new SseParser();

    private boolean started;  // message_start sent
    private boolean finished; // message_stop or an error sent: nothing more goes out
    private int nextBlock;
    private Kind open = Kind.NONE;
    private ToolCall openTool;
    private final Map<Integer, ToolCall> tools = new HashMap<>(4);
    private int syntheticIndex = -1; // keys for calls of servers that leave out tool_calls[].index
    private int lastIndex = Integer.MIN_VALUE;
    private boolean toolCalled;

    private String finishReason;
    private String matchedStop;
    private JsonNode usage;

    ChatStreamToMessagesStream(ObjectMapper json, ErrorMapper errors, String clientModel) {
        this.json = json;
        this.errors = errors;
        this.clientModel = clientModel;
    }

    @Override
    public byte[] feed(byte[] upstreamChunk) {
        if (finished) return NOTHING;
        var out = new ByteArrayOutputStream(256);
        for (SseEvent event : parser.feed(upstreamChunk)) {
            if (finished) break;
            onEvent(event, out);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] end() {
        if (finished) return NOTHING;
        var out = new ByteArrayOutputStream(256);
        for (SseEvent event : parser.finish()) {
            if (finished) break;
            onEvent(event, out);
        }
        if (!finished) finish(out);
        return out.toByteArray();
    }

    @Override
    public byte[] fail(ErrorCode code, String message) {
        if (finished) return NOTHING;
        finished = true;
        return errors.event(code.anthropicType(), message);
    }

    // ---- upstream events ----

    private void onEvent(SseEvent event, ByteArrayOutputStream out) {
        String data = event.data().strip();
        if (data.isEmpty()) return;
        if (data.equals("[DONE]")) {
            finish(out);
            return;
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (IOException e) {
            log.debug("skipped an upstream stream event that is not JSON: {}", e.getMessage());
            return;
        }
        if (chunk == null || !chunk.isObject()) return;
        if (chunk.hasNonNull("error") || "error".equals(ChatFields.text(chunk.get("object"))) || "error".equals(event.event())) {
            write(out, errors.streamEvent(chunk));
            finished = true;
            return;
        }
        if (!started) start(out, ChatFields.text(chunk.get("id")));
        JsonNode u = chunk.get("usage");
        boolean hasUsage = u != null && u.isObject();
        if (hasUsage) usage = u; // some servers repeat it in every chunk: the last one counts
        JsonNode choices = chunk.get("choices");
        boolean noChoices = choices == null || !choices.isArray() || choices.isEmpty();
        if (!noChoices) {
            for (JsonNode choice : choices) {
                if (choice.path("index").asInt(0) == 0) onChoice(choice, out);
            }
        }
        // the usage chunk after the finish reason: the answer is complete
        if (finishReason != null && hasUsage && noChoices) finish(out);
    }

    private void onChoice(JsonNode choice, ByteArrayOutputStream out) {
        JsonNode delta = choice.path("delta");
        String reasoning = ChatFields.reasoning(delta);
        if (!reasoning.isEmpty()) append(Kind.THINKING, reasoning, out);
        String content = ChatFields.text(delta.get("content"));
        if (content != null && !content.isEmpty()) append(Kind.TEXT, content, out);
        String refusal = ChatFields.text(delta.get("refusal"));
        if (refusal != null && !refusal.isEmpty()) append(Kind.TEXT, refusal, out);
        JsonNode calls = delta.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) toolCall(call, out);
        }
        JsonNode legacy = delta.get("function_call");
        if (legacy != null && legacy.isObject()) toolCall(json.createObjectNode().put("index", 0).set("function", legacy), out);
        String finish = ChatFields.text(choice.get("finish_reason"));
        if (finish != null && !finish.isEmpty()) {
            finishReason = finish;
            matchedStop = ChatFields.matchedStop(choice);
            closeBlock(out); // Claude Code starts a tool at its block's stop: no reason to wait for usage
        }
    }

    private void append(Kind kind, String text, ByteArrayOutputStream out) {
        if (open != kind) {
            closeBlock(out);
            ObjectNode block = json.createObjectNode();
            if (kind == Kind.THINKING) block.put("type", "thinking").put("thinking", "").put("signature", "");
            else block.put("type", "text").put("text", "");
            startBlock(kind, block, out);
        }
        ObjectNode delta = json.createObjectNode();
        if (kind == Kind.THINKING) delta.put("type", "thinking_delta").put("thinking", text);
        else delta.put("type", "text_delta").put("text", text);
        blockDelta(nextBlock - 1, delta, out);
    }

    /**
     * One {@code tool_calls[]} fragment. The first fragment of a call carries its id and name;
     * the following ones, argument text relayed as {@code input_json_delta} as it comes.
     */
    private void toolCall(JsonNode call, ByteArrayOutputStream out) {
        String id = ChatFields.text(call.get("id"));
        JsonNode function = call.path("function");
        String name = ChatFields.text(function.get("name"));
        JsonNode args = function.get("arguments");
        String fragment = args == null || args.isNull() ? "" : args.isTextual() ? args.asText() : args.toString();

        int index;
        if (call.has("index") && call.get("index").canConvertToInt()) {
            index = call.get("index").asInt();
        } else { // servers that leave out the index: a new id is a new call, no id continues the last
            ToolCall last = tools.get(lastIndex);
            boolean newCall = last == null || (id != null && !id.isEmpty() && last.id != null && !id.equals(last.id));
            index = newCall ? syntheticIndex-- : lastIndex;
        }
        lastIndex = index;
        ToolCall tool = tools.computeIfAbsent(index, i -> new ToolCall());
        if (tool.id == null && id != null && !id.isEmpty()) tool.id = id;
        if (tool.name == null && name != null && !name.isEmpty()) tool.name = name;

        if (tool.block < 0) {
            tool.early.append(fragment);
            if (tool.name == null) return;
            closeBlock(out);
            tool.id = ChatFields.toolUseId(tool.id);
            ObjectNode block = json.createObjectNode()
                    .put("type", "tool_use")
                    .put("id", tool.id)
                    .put("name", tool.name);
            block.putObject("input");
            tool.block = nextBlock;
            startBlock(Kind.TOOL, block, out);
            openTool = tool;
            toolCalled = true;
            fragment = tool.early.toString();
            tool.early.setLength(0);
        }
        if (fragment.isEmpty()) return;
        if (tool != openTool) {
            // a server that interleaves calls: the block has been closed; best effort, to its index
            log.debug("tool call fragment for block {} after it closed", tool.block);
        }
        blockDelta(tool.block, json.createObjectNode().put("type", "input_json_delta").put("partial_json", fragment), out);
    }

    // ---- client events ----

    private void start(ByteArrayOutputStream out, String chatId) {
        started = true;
        ObjectNode event = json.createObjectNode().put("type", "message_start");
        ObjectNode message = event.putObject("message")
                .put("id", ChatFields.messageId(chatId))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", clientModel);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage")
                .put("input_tokens", 0) // unknown until the upstream's last chunk: sent in message_delta
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0)
                .put("output_tokens", 0);
        emit("message_start", event, out);
        emit("ping", json.createObjectNode().put("type", "ping"), out);
    }

    private void startBlock(Kind kind, ObjectNode block, ByteArrayOutputStream out) {
        ObjectNode event = json.createObjectNode().put("type", "content_block_start").put("index", nextBlock);
        event.set("content_block", block);
        emit("content_block_start", event, out);
        nextBlock++;
        open = kind;
    }

    private void blockDelta(int index, ObjectNode delta, ByteArrayOutputStream out) {
        ObjectNode event = json.createObjectNode().put("type", "content_block_delta").put("index", index);
        event.set("delta", delta);
        emit("content_block_delta", event, out);
    }

    private void closeBlock(ByteArrayOutputStream out) {
        if (open == Kind.NONE) return;
        emit("content_block_stop", json.createObjectNode().put("type", "content_block_stop").put("index", nextBlock - 1), out);
        open = Kind.NONE;
        openTool = null;
    }

    private void finish(ByteArrayOutputStream out) {
        if (finished) return;
        if (!started) start(out, null);
        closeBlock(out);
        for (ToolCall t : tools.values()) {
            if (t.block < 0) log.debug("dropped a tool call that never got a name (id {})", t.id);
        }
        var stop = ChatFields.stop(finishReason, matchedStop, toolCalled);
        ObjectNode event = json.createObjectNode().put("type", "message_delta");
        event.putObject("delta").put("stop_reason", stop.reason()).put("stop_sequence", stop.sequence());
        ObjectNode u = event.putObject("usage");
        if (usage != null) ChatFields.putUsage(u, usage);
        else u.put("output_tokens", 0);
        emit("message_delta", event, out);
        emit("message_stop", json.createObjectNode().put("type", "message_stop"), out);
        finished = true;
    }

    private void emit(String name, ObjectNode event, ByteArrayOutputStream out) {
        try {
            write(out, SseEvent.named(name, json.writeValueAsString(event)).toBytes());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }
}
