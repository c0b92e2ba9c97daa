package dev.gantry.translate.fromchat;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat tool-call {@code arguments} (a JSON string that models sometimes get wrong) → Anthropic's
 * {@code tool_use.input} (an object).
 */
final class ToolArguments {
    private static final Logger LOG = LoggerFactory.getLogger(ToolArguments.class);

    /** The key under which arguments that are not a JSON object are kept, so the model still sees what it sent. */
    static final String RAW_KEY = "raw_arguments";

    private ToolArguments() {}

    /**
     * The parsed object; {@code {}} for absent or blank arguments; {@code {"raw_arguments": "..."}}
     * for text that is not a JSON object (truncated output, a bare string): an empty object would
     * hide from the model what it called the tool with, and failing the whole conversation over
     * one bad turn of history would be worse.
     */
    static ObjectNode toInput(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) return TranslationJson.object();
        if (arguments instanceof ObjectNode object) return object; // lenient: some clients send the object itself
        String text = arguments.isTextual() ? arguments.textValue() : TranslationJson.write(arguments);
        if (text.isBlank()) return TranslationJson.object();
        if (TranslationJson.parseOrNull(text) instanceof ObjectNode object) return object;
        LOG.debug("tool-call arguments are not a JSON object; kept as text under '{}'", RAW_KEY);
        ObjectNode wrapped = TranslationJson.object();
        wrapped.put(RAW_KEY, text);
        return wrapped;
    }
}
