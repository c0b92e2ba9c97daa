package dev.gantry.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * What the simulator reads from the text of a request: its size, for the prompt token estimate,
 * and the first {@code SIM{...}} override marker.
 *
 * <p>The text is every string under {@code messages}, {@code system} and {@code input} that is
 * the value of a {@code content}, {@code text}, {@code arguments} or {@code thinking} field (or is
 * {@code system} / {@code input} itself, or an element of them), so it covers plain and
 * multi-part OpenAI content, Anthropic blocks and tool results, and embedding inputs, and leaves
 * out roles, ids and types. Token-id inputs (embeddings) count 4 characters a token. The estimate
 * is {@code max(1, characters / 4)}: crude, but deterministic and the same for a streaming request
 * and its non-streaming twin, and for {@code /v1/messages} and {@code /v1/messages/count_tokens}.
 */
final class PromptText {
    private static final Set<String> TEXT_FIELDS = Set.of("content", "text", "arguments", "thinking");

    private long chars;
    private String markerText;
    private int markerAt = -1;

    private PromptText() {}

    static PromptText scan(JsonNode request) {
        PromptText scan = new PromptText();
        scan.visit(request.get("messages"), false);
        scan.visit(request.get("system"), true);
        scan.visit(request.get("input"), true);
        return scan;
    }

    /** The prompt token estimate. */
    int tokens() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, chars / 4));
    }

    /** The text holding the first {@code SIM{} marker, or null when there is none. */
    String markerText() {
        return markerText;
    }

    /** Where the marker starts in {@link #markerText()}. */
    int markerAt() {
        return markerAt;
    }

    private void visit(JsonNode node, boolean text) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            if (text) {
                String value = node.textValue();
                chars += value.length();
                if (markerText == null) {
                    int at = value.indexOf("SIM{");
                    if (at >= 0) {
                        markerText = value;
                        markerAt = at;
                    }
                }
            }
        } else if (node.isNumber()) {
            if (text) {
                chars += 4;
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                visit(element, text);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                visit(field.getValue(), TEXT_FIELDS.contains(field.getKey()));
            }
        }
    }
}
