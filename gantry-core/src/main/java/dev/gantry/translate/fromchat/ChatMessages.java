package dev.gantry.translate.fromchat;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat Completions {@code messages} → Anthropic {@code system} + {@code messages}.
 *
 * <p>Where the two differ: system and developer messages, wherever they stand, are joined into the
 * top-level {@code system}; Anthropic wants user and assistant turns to alternate, so consecutive
 * turns of one role are merged (tool results are user turns there, so a run of {@code role: tool}
 * messages becomes one user turn of {@code tool_result} blocks, placed before any text that joins
 * it, as Anthropic requires); empty texts are dropped (Anthropic rejects empty text blocks);
 * tool-call ids are kept but for the characters Anthropic's id pattern refuses.
 */
final class ChatMessages {
    private static final Logger LOG = LoggerFactory.getLogger(ChatMessages.class);

    /** The converted conversation; {@code endsInToolResults}: the last turn answers tool calls (a tool-use loop is under way). */
    record Converted(String system, ArrayNode messages, boolean endsInToolResults) {}

    private record Turn(String role, List<ObjectNode> blocks) {}

    private ChatMessages() {}

    static Converted convert(JsonNode messages) {
        List<String> system = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) throw invalid("'messages[" + i + "]' must be an object.");
            String role = TranslationJson.text(message.get("role"));
            switch (role == null ? "" : role) {
                case "system", "developer" -> {
                    String text = plainText(message.get("content"), i, "\n");
                    if (!text.isEmpty()) system.add(text);
                }
                case "user" -> append(turns, "user", userBlocks(message.get("content"), i));
                case "assistant" -> append(turns, "assistant", assistantBlocks(message, i));
                case "tool" -> append(turns, "user", List.of(toolResult(message, i)));
                case "function" -> LOG.debug("dropping a legacy role 'function' message (messages[{}]): Anthropic has no counterpart", i);
                default -> throw invalid("Invalid value for 'messages[" + i + "].role': '" + role
                        + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.");
            }
        }
        ArrayNode out = TranslationJson.array();
        for (Turn turn : turns) {
            ObjectNode message = out.addObject();
            message.put("role", turn.role());
            ArrayNode content = message.putArray("content");
            // Anthropic: the tool_result blocks of a user turn come first, any text after them
            turn.blocks().stream().filter(ChatMessages::isToolResult).forEach(content::add);
            turn.blocks().stream().filter(b -> !isToolResult(b)).forEach(content::add);
        }
        Turn last = turns.isEmpty() ? null : turns.getLast();
        boolean endsInToolResults = last != null && last.role().equals("user")
                && last.blocks().stream().anyMatch(ChatMessages::isToolResult);
        return new Converted(String.join("\n\n", system), out, endsInToolResults);
    }

    private static boolean isToolResult(ObjectNode block) {
        return "tool_result".equals(TranslationJson.text(block.get("type")));
    }

    private static void append(List<Turn> turns, String role, List<ObjectNode> blocks) {
        if (blocks.isEmpty()) return; // an empty message: Anthropic would reject it, and it says nothing
        if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
            turns.getLast().blocks().addAll(blocks);
        } else {
            turns.add(new Turn(role, new ArrayList<>(blocks)));
        }
    }

    private static List<ObjectNode> userBlocks(JsonNode content, int i) {
        List<ObjectNode> blocks = new ArrayList<>();
        if (content == null || content.isNull()) return blocks;
        if (content.isTextual()) {
            addText(blocks, content.textValue(), null);
            return blocks;
        }
        if (!content.isArray()) throw invalid("'messages[" + i + "].content' must be a string or an array of content parts.");
        for (JsonNode part : content) {
            String type = TranslationJson.text(part.get("type"));
            switch (type == null ? "" : type) {
                case "text" -> addText(blocks, TranslationJson.text(part.get("text")), part.get("cache_control"));
                case "image_url" -> blocks.add(ContentParts.image(part, i));
                case "file" -> blocks.add(ContentParts.document(part, i));
                case "input_audio" -> throw invalid("'messages[" + i + "]': audio input is not supported by this model.");
                default -> throw invalid("Invalid content part type '" + type + "' in 'messages[" + i
                        + "].content'. Supported types are: 'text', 'image_url' and 'file'.");
            }
        }
        return blocks;
    }

    private static List<ObjectNode> assistantBlocks(JsonNode message, int i) {
        List<ObjectNode> blocks = new ArrayList<>();
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            addText(blocks, content.textValue(), null);
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String type = TranslationJson.text(part.get("type"));
                if ("text".equals(type)) addText(blocks, TranslationJson.text(part.get("text")), part.get("cache_control"));
                else if ("refusal".equals(type)) addText(blocks, TranslationJson.text(part.get("refusal")), null);
                else throw invalid("Invalid content part type '" + type + "' in 'messages[" + i
                        + "].content'. Supported types for assistant messages are: 'text' and 'refusal'.");
            }
        }
        JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            for (int c = 0; c < toolCalls.size(); c++) {
                JsonNode call = toolCalls.get(c);
                String id = TranslationJson.text(call.get("id"));
                JsonNode function = call.path("function");
                String name = TranslationJson.text(function.get("name"));
                if (id == null || name == null) {
                    throw invalid("'messages[" + i + "].tool_calls[" + c + "]' needs an 'id' and a 'function.name'.");
                }
                ObjectNode use = TranslationJson.object();
                use.put("type", "tool_use");
                use.put("id", toolId(id));
                use.put("name", name);
                use.set("input", ToolArguments.toInput(function.get("arguments")));
                blocks.add(use);
            }
        }
        return blocks;
    }

    private static ObjectNode toolResult(JsonNode message, int i) {
        String callId = TranslationJson.text(message.get("tool_call_id"));
        if (callId == null) throw invalid("'messages[" + i + "].tool_call_id' is required for messages with role 'tool'.");
        ObjectNode result = TranslationJson.object();
        result.put("type", "tool_result");
        result.put("tool_use_id", toolId(callId));
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            if (!content.textValue().isEmpty()) result.put("content", content.textValue());
        } else if (content != null && content.isArray()) {
            ArrayNode parts = TranslationJson.array();
            for (JsonNode part : content) {
                String text = TranslationJson.text(part.get("text"));
                if (text != null && !text.isEmpty()) parts.addObject().put("type", "text").put("text", text);
            }
            if (!parts.isEmpty()) result.set("content", parts);
        }
        return result;
    }

    /** The text of a string content or of an array of text parts (system and developer messages). */
    private static String plainText(JsonNode content, int i, String joiner) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.textValue();
        if (!content.isArray()) throw invalid("'messages[" + i + "].content' must be a string or an array of text parts.");
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content) {
            String text = TranslationJson.text(part.get("text"));
            if (text != null && !text.isEmpty()) texts.add(text);
        }
        return String.join(joiner, texts);
    }

    private static void addText(List<ObjectNode> blocks, String text, JsonNode cacheControl) {
        if (text == null || text.isEmpty()) return;
        ObjectNode block = TranslationJson.object();
        block.put("type", "text");
        block.put("text", text);
        // OpenRouter's convention for prompt caching through the Chat API, honoured as Anthropic's own
        if (cacheControl != null && cacheControl.isObject()) block.set("cache_control", cacheControl);
        blocks.add(block);
    }

    /**
     * A tool-call id Anthropic accepts ({@code ^[a-zA-Z0-9_-]+$}). Ids made by other providers may
     * hold '.', ':' or the like; the same replacement on the tool_use and on its tool_result keeps
     * them paired.
     */
    static String toolId(String id) {
        StringBuilder out = new StringBuilder(id.length());
        for (int k = 0; k < id.length(); k++) {
            char c = id.charAt(k);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            out.append(ok ? c : '_');
        }
        return out.isEmpty() ? "call_" : out.toString();
    }

    static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, message);
    }
}
