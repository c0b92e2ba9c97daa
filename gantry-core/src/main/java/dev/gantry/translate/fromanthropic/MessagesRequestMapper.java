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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Anthropic Messages request as a Chat Completions request.
 *
 * <p>Only what Anthropic itself would reject is rejected (no {@code max_tokens}, no list of
 * messages, a role other than user/assistant); everything the upstream has no use for (server
 * tools, {@code thinking}, {@code cache_control}, fields newer than this code) is dropped, so that
 * agents sending new fields keep working.
 */
final class MessagesRequestMapper {
    private static final Logger log = LoggerFactory.getLogger(MessagesRequestMapper.class);

    /**
     * Claude Code puts this line first in its system prompt with a hash that changes on every
     * request; kept, it would make every prompt prefix new and defeat the upstream's prefix cache
     * (vLLM, SGLang), which is most of the cost of a long agent session. It means nothing to a model.
     */
    static final String BILLING_HEADER = "x-anthropic-billing-header:";

    private final ObjectMapper json;

    MessagesRequestMapper(ObjectMapper json) {
        this.json = json;
    }

    byte[] map(byte[] clientBody, String upstreamModel) {
        JsonNode root = parse(clientBody);
        JsonNode maxTokens = maxTokens(root);
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray()) throw invalid("messages: Input should be a valid list");
        if (messages.isEmpty()) throw invalid("messages: at least one message is required");

        ObjectNode out = json.createObjectNode();
        out.put("model", upstreamModel);
        ArrayNode chat = out.putArray("messages");
        system(root.get("system"), chat);
        for (int i = 0; i < messages.size(); i++) message(i, messages.get(i), chat);
        out.set("max_tokens", maxTokens);
        if (root.path("stream").asBoolean(false)) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true); // the gateway meters every answer
        }
        for (String field : List.of("temperature", "top_p", "top_k")) { // top_k: vLLM, SGLang and Ollama take it
            JsonNode v = root.get(field);
            if (v != null && v.isNumber()) out.set(field, v);
        }
        stopSequences(root.get("stop_sequences"), out);
        tools(root.get("tools"), root.get("tool_choice"), out);
        String user = ChatFields.text(root.path("metadata").get("user_id"));
        if (user != null && !user.isEmpty()) out.put("user", user);
        return write(out);
    }

    private JsonNode parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.INVALID_JSON, "The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) throw invalid("The request body must be a JSON object.");
        return root;
    }

    private JsonNode maxTokens(JsonNode root) {
        JsonNode v = root.get("max_tokens");
        if (v == null || v.isNull()) throw invalid("max_tokens: Field required");
        if (!v.isIntegralNumber()) {
            if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
                throw invalid("max_tokens: Input should be a valid integer");
            }
            v = json.getNodeFactory().numberNode(v.asLong());
        }
        if (v.asLong() < 1) throw invalid("max_tokens: Input should be greater than or equal to 1");
        return v;
    }

    // ---- system ----

    private void system(JsonNode system, ArrayNode chat) {
        if (system == null || system.isNull()) return;
        String text;
        if (system.isTextual()) {
            text = withoutBillingHeader(system.asText());
        } else if (system.isArray()) {
            var joined = new StringBuilder();
            for (JsonNode block : system) {
                String t = withoutBillingHeader(ChatFields.text(block.get("text")));
                if (t == null || t.isEmpty()) continue;
                if (!joined.isEmpty()) joined.append("\n\n");
                joined.append(t);
            }
            text = joined.toString();
        } else {
            throw invalid("system: Input should be a valid string or list of text blocks");
        }
        if (text != null && !text.isEmpty()) chat.addObject().put("role", "system").put("content", text);
    }

    private static String withoutBillingHeader(String text) {
        if (text == null || !text.startsWith(BILLING_HEADER)) return text;
        int eol = text.indexOf('\n');
        log.debug("dropped Claude Code's per-request billing header from the system prompt");
        return eol < 0 ? "" : text.substring(eol + 1);
    }

    // ---- messages ----

    private void message(int i, JsonNode message, ArrayNode chat) {
        if (message == null || !message.isObject()) throw invalid("messages." + i + ": Input should be a valid dictionary");
        String role = ChatFields.text(message.get("role"));
        if (!"user".equals(role) && !"assistant".equals(role)) {
            throw invalid("messages." + i + ".role: Input should be 'user' or 'assistant'");
        }
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) throw invalid("messages." + i + ".content: Field required");
        if (content.isTextual()) {
            chat.addObject().put("role", role).put("content", content.asText());
            return;
        }
        if (!content.isArray()) throw invalid("messages." + i + ".content: Input should be a valid string or list");
        if (role.equals("user")) user(content, chat);
        else assistant(content, chat);
    }

    /**
     * Tool results become {@code role: tool} messages, in order, ahead of the rest of the turn (the
     * upstream wants them right after the assistant's tool calls). Images inside a tool result
     * cannot ride in a tool message on Chat Completions; they move into the user message that
     * follows, and the tool message says where they went.
     */
    private void user(JsonNode blocks, ArrayNode chat) {
        var parts = new ArrayList<ObjectNode>();
        var toolMessages = new ArrayList<ObjectNode>();
        var toolImages = new ArrayList<ObjectNode>();
        for (JsonNode block : blocks) {
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> addText(parts, ChatFields.text(block.get("text")));
                case "image" -> {
                    ObjectNode image = image(block.get("source"));
                    if (image != null) parts.add(image);
                }
                case "tool_result" -> toolMessages.add(toolResult(block, toolImages));
                default -> addText(parts, textOf(block, type));
            }
        }
        for (ObjectNode m : toolMessages) chat.add(m);
        parts.addAll(0, toolImages);
        if (parts.isEmpty()) return;
        ObjectNode user = chat.addObject().put("role", "user");
        boolean textOnly = parts.stream().allMatch(p -> p.path("type").asText().equals("text"));
        if (textOnly) { // a plain string suits every server and chat template; vLLM joins text parts with \n itself
            var text = new StringBuilder();
            for (ObjectNode p : parts) {
                if (!text.isEmpty()) text.append('\n');
                text.append(p.get("text").asText());
            }
            user.put("content", text.toString());
        } else {
            user.putArray("content").addAll(parts);
        }
    }

    private ObjectNode toolResult(JsonNode block, List<ObjectNode> images) {
        var text = new StringBuilder();
        JsonNode content = block.get("content");
        if (content != null && content.isTextual()) {
            text.append(content.asText());
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText("");
                String piece;
                if (type.equals("image")) {
                    ObjectNode image = image(part.get("source"));
                    if (image == null) continue;
                    images.add(image);
                    piece = "[image " + images.size() + " follows in the next message]";
                } else {
                    piece = type.equals("text") ? ChatFields.text(part.get("text")) : textOf(part, type);
                }
                if (piece == null || piece.isEmpty()) continue;
                if (!text.isEmpty()) text.append('\n');
                text.append(piece);
            }
        }
        String body = block.path("is_error").asBoolean(false) ? "Error: " + text : text.toString();
        return json.createObjectNode()
                .put("role", "tool")
                .put("tool_call_id", block.path("tool_use_id").asText(""))
                .put("content", body);
    }

    /**
     * Text and tool calls; the thinking of a turn that called tools goes back as
     * {@code reasoning_content}: DeepSeek's thinking mode answers 400 without it, and the chat
     * templates of Qwen3, Kimi and GLM render it only for the tool loop in progress. Thinking of a
     * turn that ended in plain text is dropped (DeepSeek ignores it there; older servers reject it).
     */
    private void assistant(JsonNode blocks, ArrayNode chat) {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        ArrayNode toolCalls = json.createArrayNode();
        for (JsonNode block : blocks) {
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> append(text, ChatFields.text(block.get("text")));
                case "tool_use" -> {
                    ObjectNode call = toolCalls.addObject();
                    call.put("id", block.path("id").asText(""));
                    call.put("type", "function");
                    JsonNode input = block.get("input");
                    call.putObject("function")
                            .put("name", block.path("name").asText(""))
                            .put("arguments", input == null || input.isNull() ? "{}" : writeString(input));
                }
                case "thinking" -> append(reasoning, ChatFields.text(block.get("thinking")));
                case "redacted_thinking" -> { } // encrypted for Anthropic's models; nothing another model can read
                default -> append(text, textOf(block, type));
            }
        }
        if (text.isEmpty() && toolCalls.isEmpty()) {
            log.debug("dropped an assistant turn left empty (thinking or server tool blocks only)");
            return;
        }
        ObjectNode m = chat.addObject().put("role", "assistant");
        m.put("content", text.toString()); // "" rather than null beside tool calls: some templates concatenate it
        if (!toolCalls.isEmpty()) {
            m.set("tool_calls", toolCalls);
            if (!reasoning.isEmpty()) m.put("reasoning_content", reasoning.toString());
        }
    }

    /** The text a non-text block carries (documents, search results, unknown types), or null. */
    private static String textOf(JsonNode block, String type) {
        switch (type) {
            case "document" -> {
                JsonNode source = block.path("source");
                String kind = source.path("type").asText("");
                String body = null;
                if (kind.equals("text")) body = ChatFields.text(source.get("data"));
                else if (kind.equals("content")) body = joinedText(source.get("content"));
                if (body == null) {
                    log.debug("dropped a document block with a {} source: the upstream takes text only", kind);
                    return null;
                }
                String title = ChatFields.text(block.get("title"));
                return title == null || title.isEmpty() ? body : title + "\n\n" + body;
            }
            case "search_result" -> {
                String title = ChatFields.text(block.get("title"));
                String body = joinedText(block.get("content"));
                if (body == null) return title;
                return title == null || title.isEmpty() ? body : title + "\n\n" + body;
            }
            case "thinking", "redacted_thinking" -> {
                return null;
            }
            default -> {
                String text = ChatFields.text(block.get("text"));
                if (text == null) log.debug("dropped a content block of type '{}': no text to carry", type);
                return text;
            }
        }
    }

    private static String joinedText(JsonNode blocks) {
        if (blocks == null) return null;
        if (blocks.isTextual()) return blocks.asText();
        var text = new StringBuilder();
        for (JsonNode b : blocks) append(text, ChatFields.text(b.get("text")));
        return text.isEmpty() ? null : text.toString();
    }

    private static void append(StringBuilder text, String piece) {
        if (piece == null || piece.isEmpty()) return;
        if (!text.isEmpty()) text.append('\n');
        text.append(piece);
    }

    private void addText(List<ObjectNode> parts, String text) {
        if (text == null || text.isEmpty()) return;
        parts.add(json.createObjectNode().put("type", "text").put("text", text));
    }

    private ObjectNode image(JsonNode source) {
        String url = switch (source == null ? "" : source.path("type").asText("")) {
            case "base64" -> "data:" + source.path("media_type").asText("image/png") + ";base64," + source.path("data").asText("");
            case "url" -> source.path("url").asText("");
            default -> null;
        };
        if (url == null || url.isEmpty()) {
            log.debug("dropped an image block: its source cannot be expressed as an image_url");
            return null;
        }
        ObjectNode part = json.createObjectNode().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    // ---- parameters ----

    private static void stopSequences(JsonNode stops, ObjectNode out) {
        if (stops == null || !stops.isArray() || stops.isEmpty()) return;
        ArrayNode stop = out.putArray("stop");
        for (JsonNode s : stops) if (s.isTextual()) stop.add(s);
        if (stop.isEmpty()) out.remove("stop");
    }

    /**
     * Client tools become functions; Anthropic's server tools (typed {@code web_search_...},
     * {@code bash_...}, {@code text_editor_...}...) run inside Anthropic and have no meaning for the
     * upstream, so they go. With no tool left, {@code tool_choice} goes too (OpenAI rejects a
     * choice without tools).
     */
    private void tools(JsonNode tools, JsonNode toolChoice, ObjectNode out) {
        ArrayNode functions = json.createArrayNode();
        Set<String> names = new HashSet<>();
        if (tools != null && tools.isArray()) {
            for (JsonNode tool : tools) {
                String type = tool.path("type").asText("");
                String name = ChatFields.text(tool.get("name"));
                if (!(type.isEmpty() || type.equals("custom")) || name == null || name.isEmpty()) {
                    log.debug("dropped tool '{}' of type '{}': not a client tool", name, type);
                    continue;
                }
                names.add(name);
                ObjectNode function = functions.addObject().put("type", "function").putObject("function");
                function.put("name", name);
                String description = ChatFields.text(tool.get("description"));
                if (description != null) function.put("description", description);
                JsonNode schema = tool.get("input_schema");
                if (schema != null && schema.isObject()) function.set("parameters", schema);
                else function.putObject("parameters").put("type", "object").putObject("properties");
            }
        }
        if (functions.isEmpty()) return;
        out.set("tools", functions);
        if (toolChoice == null || !toolChoice.isObject()) return;
        switch (toolChoice.path("type").asText("")) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> {
                String name = toolChoice.path("name").asText("");
                if (names.contains(name)) {
                    out.putObject("tool_choice").put("type", "function").putObject("function").put("name", name);
                } else {
                    log.debug("tool_choice names '{}', which is not among the client tools; left to the model", name);
                }
            }
            default -> { }
        }
        if (toolChoice.path("disable_parallel_tool_use").asBoolean(false)) out.put("parallel_tool_calls", false);
    }

    // ----

    private byte[] write(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String writeString(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, message);
    }
}
