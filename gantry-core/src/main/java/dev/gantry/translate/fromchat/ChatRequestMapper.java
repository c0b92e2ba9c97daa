package dev.gantry.translate.fromchat;

import dev.gantry.translate.TranslationJson;
import static dev.gantry.translate.fromchat.ChatMessages.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Chat Completions request → an Anthropic Messages request. Everything Anthropic has a
 * counterpart for is carried; the rest (logprobs, seed, penalties, audio...) is dropped with a
 * debug log, as an OpenAI-compatible server would ignore it. Only what OpenAI itself would refuse
 * is refused.
 */
final class ChatRequestMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ChatRequestMapper.class);

    /**
     * The tool through which a {@code response_format: json_schema} request is answered: Anthropic is
     * made to call it, and its input comes back to the client as the message text.
     */
    static final String JSON_TOOL = "structured_response";

    /** Thinking budgets for reasoning_effort on models that take a budget. */
    static final int BUDGET_LOW = 2048, BUDGET_MEDIUM = 8192, BUDGET_HIGH = 16_384;
    static final int MIN_BUDGET = 1024;

    private static final Set<String> HANDLED = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
            "stop", "temperature", "top_p", "user", "safety_identifier", "stream", "stream_options", "tools",
            "tool_choice", "parallel_tool_calls", "reasoning_effort", "response_format", "n");

    private ChatRequestMapper() {}

    static byte[] toAnthropic(byte[] clientBody, String upstreamModel) {
        ObjectNode req = TranslationJson.request(clientBody);
        JsonNode messages = req.get("messages");
        if (messages == null || !messages.isArray()) throw invalid("'messages' must be an array of message objects.");
        if (messages.isEmpty()) throw invalid("'messages' must contain at least one message.");
        JsonNode n = req.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.asInt() == 1)) {
            throw invalid("'n' must be 1 for this model: it returns a single choice.");
        }
        logDropped(req);

        ClaudeModel model = ClaudeModel.of(upstreamModel);
        ChatMessages.Converted conversation = ChatMessages.convert(messages);
        Integer clientMax = maxTokens(req);

        ObjectNode out = TranslationJson.object();
        out.put("model", upstreamModel);
        out.put("max_tokens", clientMax != null ? clientMax : model.defaultMaxTokens());
        if (!conversation.system().isEmpty()) out.put("system", conversation.system());
        out.set("messages", conversation.messages());

        ArrayNode tools = tools(req.get("tools"));
        ObjectNode toolChoice = tools.isEmpty() ? null : toolChoice(req.get("tool_choice"));
        boolean jsonTool = false;
        if (tools.isEmpty()) {
            ObjectNode schema = jsonSchema(req.get("response_format"));
            if (schema != null) {
                tools.addObject().put("name", JSON_TOOL)
                        .put("description", "Give your final answer by calling this tool: its input is the answer, a JSON value"
                                + " that follows the schema.")
                        .set("input_schema", schema);
                toolChoice = TranslationJson.object().put("type", "tool").put("name", JSON_TOOL);
                jsonTool = true;
            }
        }
        if (!tools.isEmpty()) {
            out.set("tools", tools);
            JsonNode parallel = req.get("parallel_tool_calls");
            if (parallel != null && parallel.isBoolean() && !parallel.booleanValue() && !jsonTool) {
                if (toolChoice == null) toolChoice = TranslationJson.object().put("type", "auto");
                if (!"none".equals(TranslationJson.text(toolChoice.get("type")))) toolChoice.put("disable_parallel_tool_use", true);
            }
            if (toolChoice != null) out.set("tool_choice", toolChoice);
        }

        boolean forcedTool = toolChoice != null && Set.of("any", "tool").contains(TranslationJson.text(toolChoice.get("type")));
        boolean thinking = thinking(req, model, out, clientMax, conversation.endsInToolResults() || forcedTool);

        JsonNode stop = stopSequences(req.get("stop"));
        if (stop != null) out.set("stop_sequences", stop);
        if (!thinking) {
            JsonNode temperature = req.get("temperature");
            // OpenAI's range is 0-2, Anthropic's 0-1: the top of OpenAI's range is Anthropic's most random
            if (temperature != null && temperature.isNumber()) out.put("temperature", Math.min(1.0, Math.max(0.0, temperature.asDouble())));
            JsonNode topP = req.get("top_p");
            if (topP != null && topP.isNumber()) {
                if (out.has("temperature") && !model.acceptsTemperatureWithTopP()) {
                    LOG.debug("dropping top_p: {} takes temperature or top_p, not both", upstreamModel);
                } else {
                    out.set("top_p", topP);
                }
            }
        } else if (req.hasNonNull("temperature") || req.hasNonNull("top_p")) {
            LOG.debug("dropping temperature/top_p: Anthropic's extended thinking takes neither");
        }
        String user = TranslationJson.text(req.get("user"));
        if (user == null || user.isEmpty()) user = TranslationJson.text(req.get("safety_identifier"));
        if (user != null && !user.isEmpty()) out.putObject("metadata").put("user_id", user);
        JsonNode stream = req.get("stream");
        if (stream != null && stream.isBoolean() && stream.booleanValue()) out.put("stream", true);
        return TranslationJson.bytes(out);
    }

    private static void logDropped(ObjectNode req) {
        if (!LOG.isDebugEnabled()) return;
        List<String> dropped = TranslationJson.unhandledFields(req, HANDLED);
        if (!dropped.isEmpty()) LOG.debug("dropping Chat Completions fields Anthropic has no counterpart for: {}", dropped);
    }

    /** {@code max_completion_tokens} (current) or {@code max_tokens} (older), or null when the client set neither. */
    private static Integer maxTokens(ObjectNode req) {
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode value = req.get(field);
            if (value == null || value.isNull()) continue;
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
                throw invalid("Invalid '" + field + "': expected a positive integer.");
            }
            return value.asInt();
        }
        return null;
    }

    private static ArrayNode tools(JsonNode tools) {
        ArrayNode out = TranslationJson.array();
        if (tools == null || !tools.isArray()) return out;
        for (JsonNode tool : tools) {
            if (!"function".equals(TranslationJson.text(tool.get("type")))) {
                LOG.debug("dropping a tool of type '{}': only function tools have an Anthropic counterpart", TranslationJson.text(tool.get("type")));
                continue;
            }
            JsonNode function = tool.path("function");
            String name = TranslationJson.text(function.get("name"));
            if (name == null) throw invalid("Every function tool needs a 'function.name'.");
            ObjectNode converted = out.addObject();
            converted.put("name", name);
            String description = TranslationJson.text(function.get("description"));
            if (description != null && !description.isEmpty()) converted.put("description", description);
            JsonNode parameters = function.get("parameters");
            ObjectNode schema = parameters instanceof ObjectNode p ? p.deepCopy() : TranslationJson.object();
            if (!schema.has("type")) schema.put("type", "object"); // Anthropic requires an object schema
            if (schema.path("type").asText().equals("object") && !schema.has("properties")) schema.putObject("properties");
            converted.set("input_schema", schema);
            JsonNode cacheControl = tool.get("cache_control");
            if (cacheControl != null && cacheControl.isObject()) converted.set("cache_control", cacheControl);
        }
        return out;
    }

    /** auto → auto, required → any, none → none, a named function → tool; absent → null (Anthropic's default is auto). */
    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) return null;
        if (choice.isTextual()) {
            return switch (choice.textValue()) {
                case "auto" -> TranslationJson.object().put("type", "auto");
                case "required" -> TranslationJson.object().put("type", "any");
                case "none" -> TranslationJson.object().put("type", "none");
                default -> throw invalid("Invalid value for 'tool_choice': '" + choice.textValue()
                        + "'. Supported values are: 'none', 'auto' and 'required'.");
            };
        }
        String type = TranslationJson.text(choice.get("type"));
        if ("function".equals(type)) {
            String name = TranslationJson.text(choice.path("function").get("name"));
            if (name == null) throw invalid("'tool_choice.function.name' is required.");
            return TranslationJson.object().put("type", "tool").put("name", name);
        }
        if ("allowed_tools".equals(type)) {
            boolean required = "required".equals(TranslationJson.text(choice.path("allowed_tools").get("mode")));
            LOG.debug("tool_choice allowed_tools: the tool list is not narrowed for Anthropic, only its mode is kept");
            return TranslationJson.object().put("type", required ? "any" : "auto");
        }
        LOG.debug("dropping a tool_choice of type '{}'", type);
        return null;
    }

    /** The schema of a {@code response_format: {type: json_schema}} that an Anthropic tool can carry, or null. */
    private static ObjectNode jsonSchema(JsonNode format) {
        if (format == null || !"json_schema".equals(TranslationJson.text(format.get("type")))) {
            if (format != null && !format.isNull() && !"text".equals(TranslationJson.text(format.get("type")))) {
                LOG.debug("dropping response_format '{}': the prompt has to ask for JSON", TranslationJson.text(format.get("type")));
            }
            return null;
        }
        JsonNode schema = format.path("json_schema").get("schema");
        if (!(schema instanceof ObjectNode object) || !"object".equals(TranslationJson.text(object.get("type")))) {
            LOG.debug("dropping a json_schema response_format whose schema is not an object schema");
            return null;
        }
        return object.deepCopy();
    }

    /**
     * reasoning_effort → extended thinking, when that is safe: the model takes thinking, no forced
     * tool (budgeted thinking refuses one), and no tool-use loop under way: Anthropic then wants the
     * last assistant turn to start with its signed thinking block, which Chat clients cannot send
     * back. Thinking stays off for that request, which Anthropic accepts.
     */
    private static boolean thinking(ObjectNode req, ClaudeModel model, ObjectNode out, Integer clientMax, boolean unsafe) {
        String effort = TranslationJson.text(req.get("reasoning_effort"));
        if (effort == null || effort.equals("none") || effort.equals("minimal")) return false;
        if (!Set.of("low", "medium", "high", "xhigh").contains(effort)) {
            LOG.debug("dropping reasoning_effort '{}': not a known effort", effort);
            return false;
        }
        if (model.thinking() == ClaudeModel.Thinking.NONE || unsafe) {
            LOG.debug("reasoning_effort not carried over: the model or this point of the conversation does not allow thinking");
            return false;
        }
        if (model.thinking() == ClaudeModel.Thinking.ADAPTIVE) {
            out.putObject("thinking").put("type", "adaptive");
            out.putObject("output_config").put("effort", effort.equals("xhigh") ? "high" : effort);
            return true;
        }
        int budget = switch (effort) {
            case "low" -> BUDGET_LOW;
            case "medium" -> BUDGET_MEDIUM;
            default -> BUDGET_HIGH;
        };
        int maxTokens = out.get("max_tokens").asInt();
        // the budget is part of max_tokens (as reasoning tokens are of OpenAI's): leave room for the answer
        budget = Math.min(budget, maxTokens - MIN_BUDGET);
        if (budget < MIN_BUDGET) {
            LOG.debug("reasoning_effort not carried over: max_tokens {} leaves no room for a thinking budget", clientMax);
            return false;
        }
        out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        return true;
    }

    /** A string or a list of strings; Anthropic refuses stop sequences made only of whitespace. */
    private static JsonNode stopSequences(JsonNode stop) {
        if (stop == null || stop.isNull()) return null;
        ArrayNode out = TranslationJson.array();
        if (stop.isTextual()) {
            if (!stop.textValue().isBlank()) out.add(stop.textValue());
        } else if (stop.isArray()) {
            for (JsonNode s : stop) {
                if (s.isTextual() && !s.textValue().isBlank()) out.add(s.textValue());
            }
        } else {
            throw invalid("'stop' must be a string or an array of strings.");
        }
        return out.isEmpty() ? null : out;
    }
}
