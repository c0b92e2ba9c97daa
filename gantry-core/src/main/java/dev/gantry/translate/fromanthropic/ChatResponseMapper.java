package dev.gantry.translate.fromanthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete Chat Completions answer as an Anthropic message: reasoning becomes a {@code thinking}
 * block, then the text, then one {@code tool_use} block per tool call, in the order Claude puts them.
 */
final class ChatResponseMapper {
    private static final Logger log = LoggerFactory.getLogger(ChatResponseMapper.class);

    private final ObjectMapper json;

    ChatResponseMapper(ObjectMapper json) {
        this.json = json;
    }

    byte[] map(byte[] upstreamBody, String clientModel) {
        JsonNode root;
        try {
            root = json.readTree(upstreamBody);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new GatewayException(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The upstream's answer is not a JSON object.");
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");

        ObjectNode out = json.createObjectNode();
        out.put("id", ChatFields.messageId(ChatFields.text(root.get("id"))));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", clientModel);
        ArrayNode content = out.putArray("content");

        String reasoning = ChatFields.reasoning(message);
        if (!reasoning.isEmpty()) {
            // signature: Anthropic's proof that it wrote the thinking; there is none to give, and
            // the gateway, which receives the block back, does not check it
            content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
        }
        String text = text(message.get("content"));
        if (text.isEmpty()) text = text(message.get("refusal"));
        if (!text.isEmpty()) content.addObject().put("type", "text").put("text", text);

        boolean toolCalls = false;
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            addToolUse(content, ChatFields.text(call.get("id")), function);
            toolCalls = true;
        }
        JsonNode legacy = message.get("function_call");
        if (legacy != null && legacy.isObject()) {
            addToolUse(content, null, legacy);
            toolCalls = true;
        }

        var stop = ChatFields.stop(ChatFields.text(choice.get("finish_reason")), ChatFields.matchedStop(choice), toolCalls);
        out.put("stop_reason", stop.reason());
        out.put("stop_sequence", stop.sequence());
        ChatFields.putUsage(out.putObject("usage"), root.path("usage"));
        try {
            return json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addToolUse(ArrayNode content, String id, JsonNode function) {
        content.addObject()
                .put("type", "tool_use")
                .put("id", ChatFields.toolUseId(id))
                .put("name", function.path("name").asText(""))
                .set("input", input(function.get("arguments")));
    }

    /**
     * A tool call's arguments as the object Anthropic's {@code input} must be. Servers send a JSON
     * string (OpenAI), sometimes an object, sometimes a string holding a JSON string. What does not
     * parse to an object is kept whole under {@code _raw}: the client's schema check then fails and
     * Claude Code hands the model an error it can correct, instead of running the tool with an
     * empty input or the gateway failing the whole answer.
     */
    JsonNode input(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) return json.createObjectNode();
        if (arguments.isObject()) return arguments;
        String raw = arguments.isTextual() ? arguments.asText() : arguments.toString();
        if (raw.isBlank()) return json.createObjectNode();
        try {
            JsonNode parsed = json.readTree(raw);
            if (parsed != null && parsed.isTextual()) parsed = json.readTree(parsed.asText());
            if (parsed != null && parsed.isObject()) return parsed;
        } catch (IOException e) {
            // below
        }
        log.debug("tool call arguments are not a JSON object; passed on as _raw");
        return json.createObjectNode().put("_raw", raw);
    }

    /** A message's content: a string, or (some servers) a list of text parts. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        var text = new StringBuilder();
        for (JsonNode part : content) {
            String t = ChatFields.text(part.get("text"));
            if (t != null) text.append(t);
        }
        return text.toString();
    }
}
