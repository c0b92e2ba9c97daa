package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;

/**
 * A {@code chat.completion} → a Responses {@code response}: reasoning (DeepSeek's and vLLM's
 * {@code reasoning_content}, or {@code reasoning}) as a reasoning item, the text as a message
 * item, each tool call as a call item; {@code length} makes the response {@code incomplete}
 * ({@code max_output_tokens}), as OpenAI reports it.
 */
final class ChatCompletionMapper {
    private ChatCompletionMapper() {}

    static byte[] toResponse(byte[] upstreamBody, String clientModel, long createdAt, Ids ids, ResponsesContext context) {
        JsonNode completion = TranslationJson.upstream(upstreamBody, "a chat completion");
        JsonNode choice = completion.path("choices").path(0);
        if (!choice.isObject()) {
            throw new GatewayException(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The upstream answer is not a chat completion: it has no choice.");
        }
        JsonNode message = choice.path("message");
        String finish = TranslationJson.text(choice.get("finish_reason"));
        String incomplete = incompleteReason(finish);
        String responseId = ids.next("resp_");

        ArrayNode output = TranslationJson.array();
        String reasoning = reasoningText(message);
        if (reasoning != null && !reasoning.isEmpty()) output.add(OutputItems.reasoning(ids.next("rs_"), reasoning));
        String text = contentText(message.get("content"));
        String refusal = TranslationJson.text(message.get("refusal"));
        if (!text.isEmpty() || (refusal != null && !refusal.isEmpty())) {
            ObjectNode item = OutputItems.message(ids.next("msg_"), incomplete == null ? "completed" : "incomplete", text.isEmpty() ? null : text);
            if (refusal != null && !refusal.isEmpty()) {
                ((ArrayNode) item.get("content")).addObject().put("type", "refusal").put("refusal", refusal);
            }
            output.add(item);
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            String name = TranslationJson.text(function.get("name"));
            String arguments = arguments(function.get("arguments"));
            ToolKind kind = OutputItems.effectiveKind(context.kindOf(name), arguments);
            String callId = TranslationJson.text(call.get("id"));
            if (callId == null || callId.isEmpty()) callId = ids.next("call_");
            output.add(OutputItems.call(ids.next(OutputItems.idPrefix(kind)), "completed", kind, callId, name, arguments));
        }
        ObjectNode response = ResponseObject.build(responseId, createdAt, clientModel,
                incomplete == null ? "completed" : "incomplete", context, output, OutputItems.usage(completion.get("usage")), null, incomplete);
        return TranslationJson.bytes(response);
    }

    /** length → max_output_tokens, content_filter → content_filter; anything else completes the response. */
    static String incompleteReason(String finishReason) {
        if ("length".equals(finishReason)) return "max_output_tokens";
        if ("content_filter".equals(finishReason)) return "content_filter";
        return null;
    }

    static String reasoningText(JsonNode messageOrDelta) {
        String text = TranslationJson.text(messageOrDelta.get("reasoning_content"));
        return text != null ? text : TranslationJson.text(messageOrDelta.get("reasoning"));
    }

    /** A string content, or the text of its parts (some servers answer with parts). */
    private static String contentText(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.textValue();
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String t = TranslationJson.text(part.get("text"));
            if (t != null) text.append(t);
        }
        return text.toString();
    }

    static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) return "";
        return arguments.isTextual() ? arguments.textValue() : TranslationJson.write(arguments);
    }
}
