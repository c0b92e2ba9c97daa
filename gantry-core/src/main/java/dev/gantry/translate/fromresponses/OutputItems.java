package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Responses output items, as OpenAI writes them (field order included), made from what a Chat
 * answer says; shared by the whole-answer and the streamed translation.
 */
final class OutputItems {
    private OutputItems() {}

    static ObjectNode message(String id, String status, String text) {
        ObjectNode item = TranslationJson.object();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        ArrayNode content = item.putArray("content");
        if (text != null) content.add(outputText(text));
        item.put("role", "assistant");
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = TranslationJson.object();
        part.put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    /** Open-weight models' reasoning text, given to the client as the reasoning summary (what clients show). */
    static ObjectNode reasoning(String id, String text) {
        ObjectNode item = TranslationJson.object();
        item.put("id", id);
        item.put("type", "reasoning");
        ArrayNode summary = item.putArray("summary");
        if (text != null) summary.add(summaryText(text));
        return item;
    }

    static ObjectNode summaryText(String text) {
        return TranslationJson.object().put("type", "summary_text").put("text", text);
    }

    static String idPrefix(ToolKind kind) {
        return switch (kind) {
            case FUNCTION -> "fc_";
            case CUSTOM -> "ctc_";
            case LOCAL_SHELL -> "lsc_";
        };
    }

    /** The item for a Chat tool call of a tool of this kind; a local-shell call whose arguments name no command stays a function call. */
    static ObjectNode call(String id, String status, ToolKind kind, String callId, String name, String arguments) {
        ObjectNode item = TranslationJson.object();
        item.put("id", id);
        switch (effectiveKind(kind, arguments)) {
            case CUSTOM -> {
                item.put("type", "custom_tool_call");
                item.put("status", status);
                item.put("call_id", callId);
                item.put("name", name);
                item.put("input", customInput(arguments));
            }
            case LOCAL_SHELL -> {
                item.put("type", "local_shell_call");
                item.put("status", status);
                item.put("call_id", callId);
                item.set("action", shellAction(arguments));
            }
            case FUNCTION -> {
                item.put("type", "function_call");
                item.put("status", status);
                item.put("arguments", arguments);
                item.put("call_id", callId);
                item.put("name", name);
            }
        }
        return item;
    }

    static ToolKind effectiveKind(ToolKind kind, String arguments) {
        if (kind == ToolKind.LOCAL_SHELL && shellAction(arguments) == null) return ToolKind.FUNCTION;
        return kind;
    }

    /** {@code {"input": "..."}} → the input; anything else (the model wrote the input bare) is the input itself. */
    static String customInput(String arguments) {
        if (TranslationJson.parseOrNull(arguments) instanceof ObjectNode args && args.get("input") != null && args.get("input").isTextual()) {
            return args.get("input").textValue();
        }
        return arguments;
    }

    /** The Chat function arguments of a local-shell action: {@code {command, workdir?, timeout_ms?}}. */
    static ObjectNode shellArguments(JsonNode action) {
        ObjectNode args = TranslationJson.object();
        args.set("command", action.has("command") ? action.get("command") : TranslationJson.array());
        if (action.hasNonNull("working_directory")) args.set("workdir", action.get("working_directory"));
        if (action.hasNonNull("timeout_ms")) args.set("timeout_ms", action.get("timeout_ms"));
        return args;
    }

    /** The local-shell action for Chat function arguments, or null when they name no command. */
    static ObjectNode shellAction(String arguments) {
        if (!(TranslationJson.parseOrNull(arguments) instanceof ObjectNode args)) return null;
        JsonNode command = args.get("command");
        ArrayNode argv = TranslationJson.array();
        if (command != null && command.isArray() && !command.isEmpty()) {
            for (JsonNode word : command) {
                if (!word.isTextual()) return null;
                argv.add(word.textValue());
            }
        } else if (command != null && command.isTextual() && !command.textValue().isBlank()) {
            argv.add("bash").add("-lc").add(command.textValue()); // the model wrote a command line
        } else {
            return null;
        }
        ObjectNode action = TranslationJson.object();
        action.put("type", "exec");
        action.set("command", argv);
        action.set("timeout_ms", args.path("timeout_ms").isIntegralNumber() ? args.get("timeout_ms") : NullNode.getInstance());
        action.set("working_directory", args.path("workdir").isTextual() ? args.get("workdir") : NullNode.getInstance());
        action.putObject("env");
        action.putNull("user");
        return action;
    }

    /** Chat usage → Responses usage; null when the upstream reported none. */
    static JsonNode usage(JsonNode chat) {
        if (chat == null || !chat.isObject()) return NullNode.getInstance();
        long input = chat.path("prompt_tokens").asLong();
        long output = chat.path("completion_tokens").asLong();
        ObjectNode usage = TranslationJson.object();
        usage.put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", chat.path("prompt_tokens_details").path("cached_tokens").asLong());
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details")
                .put("reasoning_tokens", chat.path("completion_tokens_details").path("reasoning_tokens").asLong());
        usage.put("total_tokens", chat.hasNonNull("total_tokens") ? chat.path("total_tokens").asLong() : input + output);
        return usage;
    }
}
