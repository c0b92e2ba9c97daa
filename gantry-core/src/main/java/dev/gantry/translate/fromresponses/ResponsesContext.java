package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the answer needs to know of the client's request: the parameters a {@code response} object
 * echoes ({@code instructions}, {@code tools}, {@code tool_choice}, {@code temperature}...) and
 * which tool names stand for custom and local-shell tools (their calls come back as other item
 * types). {@link #NONE} is what OpenAI reports for a request that set nothing.
 *
 * @param echo      the echoed fields, by their name in the response object (read-only, shared)
 * @param toolKinds tool name → kind, for the tools that are not plain functions
 */
record ResponsesContext(ObjectNode echo, Map<String, ToolKind> toolKinds) {

    /** The request fields a response object repeats, in the order OpenAI writes them. */
    static final List<String> ECHOED = List.of("instructions", "max_output_tokens", "max_tool_calls", "parallel_tool_calls",
            "previous_response_id", "prompt_cache_key", "reasoning", "safety_identifier", "service_tier", "store",
            "temperature", "text", "tool_choice", "tools", "top_logprobs", "top_p", "truncation", "user", "metadata");

    static final ResponsesContext NONE = new ResponsesContext(defaults(), Map.of());

    static ResponsesContext of(ObjectNode request) {
        ObjectNode echo = defaults();
        for (String field : ECHOED) {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull()) echo.set(field, value);
        }
        for (String field : List.of("reasoning", "text")) { // objects: what the request sets over OpenAI's defaults
            JsonNode value = request.get(field);
            if (value instanceof ObjectNode given) {
                ObjectNode merged = (ObjectNode) defaults().get(field);
                merged.setAll(given);
                echo.set(field, merged);
            }
        }
        Map<String, ToolKind> kinds = new HashMap<>();
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray()) {
            for (JsonNode tool : tools) {
                String type = TranslationJson.text(tool.get("type"));
                if ("custom".equals(type) && TranslationJson.text(tool.get("name")) != null) kinds.put(tool.get("name").textValue(), ToolKind.CUSTOM);
                if ("local_shell".equals(type)) kinds.put(ToolKind.LOCAL_SHELL_NAME, ToolKind.LOCAL_SHELL);
            }
        }
        return new ResponsesContext(echo, Map.copyOf(kinds));
    }

    ToolKind kindOf(String toolName) {
        return toolName == null ? ToolKind.FUNCTION : toolKinds.getOrDefault(toolName, ToolKind.FUNCTION);
    }

    private static ObjectNode defaults() {
        ObjectNode d = TranslationJson.object();
        d.putNull("instructions");
        d.putNull("max_output_tokens");
        d.putNull("max_tool_calls");
        d.put("parallel_tool_calls", true);
        d.putNull("previous_response_id");
        d.putNull("prompt_cache_key");
        d.putObject("reasoning").putNull("effort").putNull("summary");
        d.putNull("safety_identifier");
        d.put("service_tier", "default");
        d.put("store", true);
        d.put("temperature", 1.0);
        ObjectNode text = d.putObject("text");
        text.putObject("format").put("type", "text");
        text.put("verbosity", "medium");
        d.put("tool_choice", "auto");
        d.putArray("tools");
        d.put("top_logprobs", 0);
        d.put("top_p", 1.0);
        d.put("truncation", "disabled");
        d.putNull("user");
        d.putObject("metadata");
        return d;
    }
}
