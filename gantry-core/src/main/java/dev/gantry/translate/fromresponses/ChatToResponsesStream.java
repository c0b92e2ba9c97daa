package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.translate.SseEvent;
import dev.gantry.translate.SseParser;
import dev.gantry.translate.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Chat Completions chunk stream → Responses streaming events, one upstream chunk at a time.
 *
 * <p>Output items open as the deltas call for them: reasoning text opens a reasoning item (its
 * text streamed as the reasoning summary), content a message item, each tool call a call item;
 * when a delta for another item arrives, the open one is closed with its {@code .done} events, so
 * every item is added, streamed and done before the next is added, as OpenAI streams them (Chat
 * servers stream calls one after the other too; a late fragment of a call already done is
 * dropped). A function call streams its argument fragments as they come; a custom tool's input is
 * inside a JSON argument, so it is given whole when the call closes; a local-shell call is added
 * when it closes, once its arguments show a command (else it stays a function call).
 *
 * <p>Ending: the finish reason closes the items; {@code response.completed} (or
 * {@code response.incomplete} for {@code length}, as OpenAI does on {@code max_output_tokens})
 * waits for the usage chunk, which a Chat upstream sends after the finish reason, or for
 * {@code [DONE]}, or for the end of the stream. An upstream error event, or a broken stream, ends
 * it with {@code response.failed}, the event Codex and the SDKs read errors from. Nothing follows
 * an ending. Sequence numbers start at 0 and grow by one per event.
 */
final class ChatToResponsesStream implements StreamTranslator {
    private static final Logger LOG = LoggerFactory.getLogger(ChatToResponsesStream.class);
    private static final byte[] NOTHING = new byte[0];

    private final SseParser parser = new SseParser();
    private final String clientModel;
    private final long createdAt;
    private final Ids ids;
    private final ResponsesContext context;
    private final String responseId;

    private int sequence;
    private boolean started;
    private boolean ended;
    private String finishReason;
    private JsonNode usage;
    /** Items by output index; null while an item is still open. */
    private final List<ObjectNode> output = new ArrayList<>();
    private OpenText reasoning;
    private OpenText message;
    /** The open call (Chat streams calls one after the other), its Chat index, and the indexes of the calls done. */
    private OpenCall call;
    private Integer callIndex;
    private final Set<Integer> closedIndexes = new HashSet<>();

    private static final class OpenText {
        final int outputIndex;
        final String id;
        final StringBuilder text = new StringBuilder();

        OpenText(int outputIndex, String id) {
            this.outputIndex = outputIndex;
            this.id = id;
        }
    }

    private static final class OpenCall {
        final int outputIndex;
        final String callId;
        final StringBuilder arguments = new StringBuilder();
        String name;
        String itemId;
        ToolKind kind;
        boolean added;

        OpenCall(int outputIndex, String callId) {
            this.outputIndex = outputIndex;
            this.callId = callId;
        }
    }

    ChatToResponsesStream(String clientModel, long createdAt, Ids ids, ResponsesContext context) {
        this.clientModel = clientModel;
        this.createdAt = createdAt;
        this.ids = ids;
        this.context = context;
        this.responseId = ids.next("resp_");
    }

    @Override
    public byte[] feed(byte[] upstreamChunk) {
        return translate(parser.feed(upstreamChunk), false);
    }

    @Override
    public byte[] end() {
        return translate(parser.finish(), true);
    }

    @Override
    public byte[] fail(ErrorCode code, String message) {
        if (ended) return NOTHING;
        var out = new ByteArrayOutputStream();
        failed(out, code.openAiCode(), message);
        return out.toByteArray();
    }

    private byte[] translate(List<SseEvent> events, boolean streamEnded) {
        var out = new ByteArrayOutputStream();
        for (SseEvent event : events) {
            if (ended) break;
            if (event.data().strip().equals("[DONE]")) {
                complete(out);
                break;
            }
            JsonNode chunk = TranslationJson.parseOrNull(event.data());
            if (chunk == null || !chunk.isObject()) continue; // not JSON: nothing a client could use
            handle(chunk, out);
        }
        if (streamEnded && !ended) complete(out);
        return out.toByteArray();
    }

    private void handle(JsonNode chunk, ByteArrayOutputStream out) {
        if (chunk.hasNonNull("error") || "error".equals(TranslationJson.text(chunk.get("object")))) {
            ObjectNode error = OpenAiErrorMapper.error(chunk, null, 500);
            JsonNode code = error.get("code");
            failed(out, code.isNull() ? TranslationJson.text(error.get("type")) : code.textValue(), error.get("message").textValue());
            return;
        }
        ensureStarted(out);
        if (chunk.path("usage").isObject()) usage = chunk.get("usage");
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isObject()) {
            JsonNode delta = choice.path("delta");
            text(out, ChatCompletionMapper.reasoningText(delta), true);
            text(out, TranslationJson.text(delta.get("content")), false);
            text(out, TranslationJson.text(delta.get("refusal")), false);
            for (JsonNode toolCall : delta.path("tool_calls")) toolCall(out, toolCall);
            String finish = TranslationJson.text(choice.get("finish_reason"));
            if (finish != null && finishReason == null) {
                finishReason = finish;
                closeAll(out);
            }
        }
        if (finishReason != null && usage != null) complete(out);
    }

    private void ensureStarted(ByteArrayOutputStream out) {
        if (started) return;
        started = true;
        ObjectNode response = response("in_progress", null, null);
        emit(out, "response.created", TranslationJson.object().set("response", response));
        emit(out, "response.in_progress", TranslationJson.object().set("response", response));
    }

    // --- reasoning and message text -------------------------------------------------------------

    private void text(ByteArrayOutputStream out, String delta, boolean isReasoning) {
        if (delta == null || delta.isEmpty() || finishReason != null) return;
        OpenText open = isReasoning ? reasoning : message;
        if (open == null) {
            closeAll(out);
            open = new OpenText(allocate(), ids.next(isReasoning ? "rs_" : "msg_"));
            if (isReasoning) {
                reasoning = open;
                emit(out, "response.output_item.added", item(open.outputIndex, OutputItems.reasoning(open.id, null)));
                emit(out, "response.reasoning_summary_part.added",
                        at(open).put("summary_index", 0).set("part", OutputItems.summaryText("")));
            } else {
                message = open;
                emit(out, "response.output_item.added", item(open.outputIndex, OutputItems.message(open.id, "in_progress", null)));
                emit(out, "response.content_part.added", at(open).put("content_index", 0).set("part", OutputItems.outputText("")));
            }
        }
        open.text.append(delta);
        if (isReasoning) {
            emit(out, "response.reasoning_summary_text.delta", at(open).put("summary_index", 0).put("delta", delta));
        } else {
            ObjectNode event = at(open).put("content_index", 0).put("delta", delta);
            event.putArray("logprobs");
            emit(out, "response.output_text.delta", event);
        }
    }

    private void closeReasoning(ByteArrayOutputStream out) {
        if (reasoning == null) return;
        OpenText r = reasoning;
        reasoning = null;
        String text = r.text.toString();
        emit(out, "response.reasoning_summary_text.done", at(r).put("summary_index", 0).put("text", text));
        emit(out, "response.reasoning_summary_part.done", at(r).put("summary_index", 0).set("part", OutputItems.summaryText(text)));
        done(out, r.outputIndex, OutputItems.reasoning(r.id, text));
    }

    private void closeMessage(ByteArrayOutputStream out) {
        if (message == null) return;
        OpenText m = message;
        message = null;
        String text = m.text.toString();
        ObjectNode textDone = at(m).put("content_index", 0).put("text", text);
        textDone.putArray("logprobs");
        emit(out, "response.output_text.done", textDone);
        emit(out, "response.content_part.done", at(m).put("content_index", 0).set("part", OutputItems.outputText(text)));
        String status = ChatCompletionMapper.incompleteReason(finishReason) == null ? "completed" : "incomplete";
        done(out, m.outputIndex, OutputItems.message(m.id, status, text));
    }

    // --- tool calls -------------------------------------------------------------------------------

    private void toolCall(ByteArrayOutputStream out, JsonNode delta) {
        if (finishReason != null) return;
        JsonNode indexNode = delta.get("index");
        Integer index = indexNode != null && indexNode.isIntegralNumber() ? indexNode.asInt() : null;
        String id = TranslationJson.text(delta.get("id"));
        if (id != null && id.isEmpty()) id = null;
        JsonNode function = delta.path("function");
        String name = TranslationJson.text(function.get("name"));
        String fragment = TranslationJson.text(function.get("arguments"));

        boolean sameCall = call != null && (index == null || index.equals(callIndex)) && (id == null || id.equals(call.callId));
        if (!sameCall) {
            if (index != null && id == null && closedIndexes.contains(index)) {
                // calls come one after the other; a fragment of a call already done cannot be given any more
                LOG.debug("dropping a late fragment of tool call {}", index);
                return;
            }
            closeAll(out);
            call = new OpenCall(allocate(), id == null ? ids.next("call_") : id);
            callIndex = index;
        }
        OpenCall c = call;
        if (name != null && !name.isEmpty() && c.name == null) c.name = name;
        if (fragment != null) c.arguments.append(fragment);
        if (!c.added && c.name != null) {
            c.kind = context.kindOf(c.name);
            if (c.kind != ToolKind.LOCAL_SHELL) added(out, c); // a local-shell call is added once its command is known
        } else if (c.added && c.kind == ToolKind.FUNCTION && fragment != null && !fragment.isEmpty()) {
            argumentsDelta(out, c, fragment);
        }
    }

    private void added(ByteArrayOutputStream out, OpenCall call) {
        call.added = true;
        call.itemId = ids.next(OutputItems.idPrefix(call.kind));
        ObjectNode item = OutputItems.call(call.itemId, "in_progress", call.kind, call.callId, call.name, "");
        emit(out, "response.output_item.added", item(call.outputIndex, item));
        if (call.kind == ToolKind.FUNCTION && !call.arguments.isEmpty()) argumentsDelta(out, call, call.arguments.toString());
    }

    private void argumentsDelta(ByteArrayOutputStream out, OpenCall call, String fragment) {
        emit(out, "response.function_call_arguments.delta", itemAt(call).put("delta", fragment));
    }

    private void closeCall(ByteArrayOutputStream out, OpenCall call) {
        String arguments = call.arguments.toString();
        if (call.name == null) call.name = "";
        if (!call.added) {
            call.kind = OutputItems.effectiveKind(call.kind == null ? context.kindOf(call.name) : call.kind, arguments);
            added(out, call);
        }
        switch (call.kind) {
            case FUNCTION -> emit(out, "response.function_call_arguments.done",
                    itemAt(call).put("name", call.name).put("arguments", arguments));
            case CUSTOM -> {
                String input = OutputItems.customInput(arguments);
                if (!input.isEmpty()) emit(out, "response.custom_tool_call_input.delta", itemAt(call).put("delta", input));
                emit(out, "response.custom_tool_call_input.done", itemAt(call).put("input", input));
            }
            case LOCAL_SHELL -> { }
        }
        done(out, call.outputIndex, OutputItems.call(call.itemId, "completed", call.kind, call.callId, call.name, arguments));
    }

    private void closeCall(ByteArrayOutputStream out) {
        if (call == null) return;
        OpenCall c = call;
        call = null;
        if (callIndex != null) closedIndexes.add(callIndex);
        closeCall(out, c);
    }

    // --- endings ------------------------------------------------------------------------------------

    private void closeAll(ByteArrayOutputStream out) {
        closeReasoning(out);
        closeMessage(out);
        closeCall(out);
    }

    private void complete(ByteArrayOutputStream out) {
        if (ended) return;
        ensureStarted(out);
        closeAll(out);
        String incomplete = ChatCompletionMapper.incompleteReason(finishReason);
        ObjectNode response = ResponseObject.build(responseId, createdAt, clientModel, incomplete == null ? "completed" : "incomplete",
                context, doneItems(), OutputItems.usage(usage), null, incomplete);
        emit(out, incomplete == null ? "response.completed" : "response.incomplete", TranslationJson.object().set("response", response));
        ended = true;
    }

    private void failed(ByteArrayOutputStream out, String code, String message) {
        if (ended) return;
        ensureStarted(out);
        ObjectNode error = TranslationJson.object();
        if (code == null) error.putNull("code");
        else error.put("code", code);
        error.put("message", message);
        emit(out, "response.failed", TranslationJson.object().set("response", response("failed", error, OutputItems.usage(usage))));
        ended = true;
    }

    // --- building events ---------------------------------------------------------------------------

    private ObjectNode response(String status, JsonNode error, JsonNode usage) {
        return ResponseObject.build(responseId, createdAt, clientModel, status, context, doneItems(), usage, error, null);
    }

    private ArrayNode doneItems() {
        ArrayNode items = TranslationJson.array();
        for (ObjectNode item : output) if (item != null) items.add(item);
        return items;
    }

    private int allocate() {
        output.add(null);
        return output.size() - 1;
    }

    private void done(ByteArrayOutputStream out, int outputIndex, ObjectNode item) {
        output.set(outputIndex, item);
        emit(out, "response.output_item.done", item(outputIndex, item));
    }

    private static ObjectNode item(int outputIndex, ObjectNode item) {
        ObjectNode event = TranslationJson.object();
        event.put("output_index", outputIndex);
        event.set("item", item);
        return event;
    }

    private static ObjectNode at(OpenText open) {
        return TranslationJson.object().put("item_id", open.id).put("output_index", open.outputIndex);
    }

    private static ObjectNode itemAt(OpenCall call) {
        return TranslationJson.object().put("item_id", call.itemId).put("output_index", call.outputIndex);
    }

    private void emit(ByteArrayOutputStream out, String type, ObjectNode fields) {
        ObjectNode event = TranslationJson.object();
        event.put("type", type);
        event.put("sequence_number", sequence++);
        event.setAll(fields);
        out.writeBytes(SseEvent.named(type, TranslationJson.write(event)).toBytes());
    }
}
