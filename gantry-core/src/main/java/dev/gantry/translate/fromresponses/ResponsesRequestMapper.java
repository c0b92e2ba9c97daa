package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import static dev.gantry.translate.fromresponses.ResponsesInput.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Responses request → a Chat Completions request. Stored state ({@code previous_response_id},
 * {@code conversation}, background mode) is refused with a clear message: this gateway keeps no
 * responses. Hosted tools (web search, file search, code interpreter...) are dropped; custom tools
 * and Codex's local shell become functions (see {@link ToolKind}). {@code store}, {@code include},
 * {@code reasoning}, {@code truncation} and the like have no Chat counterpart and are ignored.
 */
final class ResponsesRequestMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ResponsesRequestMapper.class);

    private static final Set<String> HANDLED = Set.of("model", "input", "instructions", "tools", "tool_choice",
            "parallel_tool_calls", "max_output_tokens", "temperature", "top_p", "stream", "text", "user",
            "previous_response_id", "conversation", "background");

    private ResponsesRequestMapper() {}

    static byte[] toChat(byte[] clientBody, String upstreamModel) {
        ObjectNode req = TranslationJson.request(clientBody);
        String previous = TranslationJson.text(req.get("previous_response_id"));
        if (previous != null && !previous.isEmpty()) {
            throw invalid("previous_response_id is not supported by this gateway yet: send the whole conversation in"
                    + " 'input' (with store=false).");
        }
        JsonNode conversation = req.get("conversation");
        if (conversation != null && !conversation.isNull()) {
            throw invalid("'conversation' is not supported by this gateway: it keeps no conversations, send the whole"
                    + " conversation in 'input'.");
        }
        JsonNode background = req.get("background");
        if (background != null && background.asBoolean(false)) {
            throw invalid("Background responses are not supported by this gateway: it keeps no responses.");
        }
        logDropped(req);

        ObjectNode out = TranslationJson.object();
        out.put("model", upstreamModel);
        out.set("messages", ResponsesInput.toMessages(req.get("instructions"), req.get("input")));
        ArrayNode tools = tools(req.get("tools"));
        if (!tools.isEmpty()) {
            out.set("tools", tools);
            JsonNode choice = toolChoice(req.get("tool_choice"));
            if (choice != null) out.set("tool_choice", choice);
            JsonNode parallel = req.get("parallel_tool_calls");
            if (parallel != null && parallel.isBoolean()) out.set("parallel_tool_calls", parallel);
        }
        JsonNode maxOutput = req.get("max_output_tokens");
        if (maxOutput != null && maxOutput.isIntegralNumber()) out.set("max_tokens", maxOutput);
        for (String field : List.of("temperature", "top_p")) {
            JsonNode value = req.get(field);
            if (value != null && value.isNumber()) out.set(field, value);
        }
        JsonNode format = responseFormat(req.path("text").get("format"));
        if (format != null) out.set("response_format", format);
        String user = TranslationJson.text(req.get("user"));
        if (user != null && !user.isEmpty()) out.put("user", user);
        JsonNode stream = req.get("stream");
        if (stream != null && stream.asBoolean(false)) {
            out.put("stream", true);
            // the usage of a streamed Chat answer comes only when asked for; a Responses answer always has it
            out.putObject("stream_options").put("include_usage", true);
        }
        return TranslationJson.bytes(out);
    }

    private static void logDropped(ObjectNode req) {
        if (!LOG.isDebugEnabled()) return;
        List<String> dropped = TranslationJson.unhandledFields(req, HANDLED);
        if (!dropped.isEmpty()) LOG.debug("ignoring Responses fields Chat Completions has no counterpart for: {}", dropped);
    }

    private static ArrayNode tools(JsonNode tools) {
        ArrayNode out = TranslationJson.array();
        if (tools == null || !tools.isArray()) return out;
        for (JsonNode tool : tools) {
            String type = String.valueOf(TranslationJson.text(tool.get("type")));
            switch (type) {
                case "function" -> {
                    ObjectNode function = function(out, tool);
                    JsonNode parameters = tool.get("parameters");
                    function.set("parameters", parameters != null && parameters.isObject() ? parameters : emptySchema());
                    JsonNode strict = tool.get("strict");
                    if (strict != null && strict.isBoolean()) function.set("strict", strict);
                }
                case "custom" -> {
                    ObjectNode function = function(out, tool);
                    function.put("description", customDescription(tool));
                    ObjectNode schema = function.putObject("parameters").put("type", "object");
                    schema.putObject("properties").putObject("input").put("type", "string")
                            .put("description", "The raw input of the tool, exactly as the tool description asks for it.");
                    schema.putArray("required").add("input");
                    schema.put("additionalProperties", false);
                }
                case "local_shell" -> {
                    ObjectNode function = out.addObject().put("type", "function").putObject("function");
                    function.put("name", ToolKind.LOCAL_SHELL_NAME);
                    function.put("description", "Runs a command on the user's machine and returns its output.");
                    ObjectNode schema = function.putObject("parameters").put("type", "object");
                    ObjectNode properties = schema.putObject("properties");
                    properties.putObject("command").put("type", "array").put("description",
                            "The program and its arguments, e.g. [\"bash\", \"-lc\", \"ls -la\"].").putObject("items").put("type", "string");
                    properties.putObject("workdir").put("type", "string").put("description", "The directory to run it in.");
                    properties.putObject("timeout_ms").put("type", "integer").put("description", "The time limit in milliseconds.");
                    schema.putArray("required").add("command");
                }
                default -> LOG.debug("dropping a tool of type '{}': a Chat upstream cannot run hosted tools", type);
            }
        }
        return out;
    }

    private static ObjectNode function(ArrayNode out, JsonNode tool) {
        String name = TranslationJson.text(tool.get("name"));
        if (name == null) throw invalid("Every function and custom tool needs a 'name'.");
        ObjectNode function = out.addObject().put("type", "function").putObject("function");
        function.put("name", name);
        String description = TranslationJson.text(tool.get("description"));
        if (description != null) function.put("description", description);
        return function;
    }

    /** A custom tool's description, plus the grammar its input must follow and how to pass it as a function argument. */
    private static String customDescription(JsonNode tool) {
        String description = TranslationJson.text(tool.get("description"));
        StringBuilder d = new StringBuilder(description == null ? "" : description);
        if (!d.isEmpty()) d.append("\n\n");
        d.append("Pass the tool's whole input, as plain text, in the string argument `input`.");
        JsonNode format = tool.path("format");
        String syntax = TranslationJson.text(format.get("syntax"));
        String definition = TranslationJson.text(format.get("definition"));
        if ("grammar".equals(TranslationJson.text(format.get("type"))) && definition != null) {
            d.append(" The input must follow this ").append(syntax == null ? "" : syntax + " ").append("grammar:\n").append(definition);
        }
        return d.toString();
    }

    private static ObjectNode emptySchema() {
        ObjectNode schema = TranslationJson.object().put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    /** none/auto/required are shared; a named function or custom tool → a named function; hosted tools → the default. */
    private static JsonNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) return null;
        if (choice.isTextual()) return choice;
        String type = String.valueOf(TranslationJson.text(choice.get("type")));
        switch (type) {
            case "function", "custom" -> {
                String name = TranslationJson.text(choice.get("name"));
                if (name == null) throw invalid("'tool_choice.name' is required.");
                ObjectNode out = TranslationJson.object().put("type", "function");
                out.putObject("function").put("name", name);
                return out;
            }
            case "allowed_tools" -> {
                return TranslationJson.MAPPER.getNodeFactory().textNode("required".equals(TranslationJson.text(choice.get("mode"))) ? "required" : "auto");
            }
            case "local_shell" -> {
                ObjectNode out = TranslationJson.object().put("type", "function");
                out.putObject("function").put("name", ToolKind.LOCAL_SHELL_NAME);
                return out;
            }
            default -> {
                LOG.debug("dropping a tool_choice of type '{}'", type);
                return null;
            }
        }
    }

    /** {@code text.format} → {@code response_format}: json_schema (flat in Responses, nested in Chat) and json_object. */
    private static JsonNode responseFormat(JsonNode format) {
        if (format == null || !format.isObject()) return null;
        String type = String.valueOf(TranslationJson.text(format.get("type")));
        switch (type) {
            case "json_schema" -> {
                ObjectNode out = TranslationJson.object().put("type", "json_schema");
                ObjectNode schema = out.putObject("json_schema");
                for (String field : List.of("name", "description", "schema", "strict")) {
                    if (format.hasNonNull(field)) schema.set(field, format.get(field));
                }
                if (!schema.has("name")) schema.put("name", "response");
                return out;
            }
            case "json_object" -> {
                return TranslationJson.object().put("type", "json_object");
            }
            default -> {
                return null; // text: Chat's default
            }
        }
    }
}
