package dev.gantry.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Anthropic endpoints: {@code /v1/messages} (JSON or SSE), {@code /v1/messages/count_tokens},
 * and {@code /v1/models} in Anthropic's list format, in Anthropic's wire format.
 *
 * <p>A stream is the sequence Anthropic sends: {@code message_start} (with {@code input_tokens}
 * and the cache counts), then per content block {@code content_block_start},
 * {@code content_block_delta}s and {@code content_block_stop}, with a {@code ping} after the first
 * block start; then {@code message_delta} (stop reason and the final {@code output_tokens}) and
 * {@code message_stop}. A thinking block comes first and ends with a {@code signature_delta}.
 */
final class AnthropicEndpoints {
    /** Looks like Anthropic's opaque signatures; the gateway must pass it through untouched. */
    private static final String SIGNATURE = Base64.getEncoder().encodeToString(
            "gantry-simulator-thinking-signature-v1".getBytes(StandardCharsets.UTF_8));

    private final Supplier<List<String>> models;

    AnthropicEndpoints(Supplier<List<String>> models) {
        this.models = models;
    }

    // ---- messages ----

    void messages(Exchange ex) {
        ex.serve(true, () -> {
            if (!validate(ex, true)) {
                return;
            }
            JsonNode req = ex.json();
            Answer answer = Answer.plan(ex.behaviour(), ex.promptTokens(), req.path("max_tokens").asInt(0));
            if (req.path("stream").asBoolean(false)) {
                stream(ex, ex.model(), answer);
            } else {
                ex.sendAnswer(message(ex.behaviour(), ex.model(), answer));
            }
        });
    }

    /** {@code POST /v1/messages/count_tokens}: the same estimate {@code /v1/messages} reports. */
    void countTokens(Exchange ex) {
        ex.serve(true, () -> {
            if (validate(ex, false)) {
                ex.sendJson(200, "{\"input_tokens\":" + ex.promptTokens() + "}");
            }
        });
    }

    /** The fields Anthropic requires, with its wording; sends the 400 and returns false if one is missing. */
    private static boolean validate(Exchange ex, boolean needsMaxTokens) {
        JsonNode req = ex.json();
        String missing = ex.model() == null ? "model"
                : !req.path("messages").isArray() ? "messages"
                : needsMaxTokens && !req.path("max_tokens").canConvertToInt() ? "max_tokens"
                : null;
        if (missing == null) {
            return true;
        }
        ex.sendInvalidRequest(missing + ": Field required", null);
        return false;
    }

    private static String message(SimBehaviour b, String model, Answer a) {
        StringBuilder out = new StringBuilder(512).append("{\"id\":\"").append(Ids.message())
                .append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
        Json.quote(out, model).append(",\"content\":[");
        boolean first = true;
        if (!a.reasoning().isEmpty()) {
            Json.quote(out.append("{\"type\":\"thinking\",\"thinking\":"), a.fullReasoning())
                    .append(",\"signature\":\"").append(SIGNATURE).append("\"}");
            first = false;
        }
        if (a.toolCall() != null) {
            out.append(first ? "" : ",").append("{\"type\":\"tool_use\",\"id\":\"").append(Ids.toolUse())
                    .append("\",\"name\":");
            Json.quote(out, a.toolCall().name()).append(",\"input\":").append(toolInput(a)).append('}');
        } else {
            Json.quote(out.append(first ? "" : ",").append("{\"type\":\"text\",\"text\":"), a.fullText())
                    .append('}');
        }
        out.append("],\"stop_reason\":");
        Json.quote(out, stopReason(b, a)).append(",\"stop_sequence\":null");
        if (b.fault() != SimBehaviour.Fault.NO_USAGE) {
            usage(out.append(",\"usage\":"), a, a.completionTokens());
        }
        return out.append('}').toString();
    }

    private static void stream(Exchange ex, String model, Answer a) {
        SimBehaviour b = ex.behaviour();
        boolean withUsage = b.fault() != SimBehaviour.Fault.NO_USAGE;
        SseWriter stream = new SseWriter("event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
                + "\"index\":0,\"delta\":{\"type\":\"text_de\n\n");

        StringBuilder start = new StringBuilder(384)
                .append("{\"type\":\"message_start\",\"message\":{\"id\":\"").append(Ids.message())
                .append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
        Json.quote(start, model).append(",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null");
        if (withUsage) {
            // Like Anthropic: the output count here is a placeholder; message_delta has the real one.
            usage(start.append(",\"usage\":"), a, 1);
        }
        stream.frame(event("message_start", start.append("}}").toString()));

        int index = 0;
        if (!a.reasoning().isEmpty()) {
            blockStart(stream, index, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
            for (String piece : a.reasoning()) {
                stream.contentFrame(delta(index, "thinking_delta", "thinking", piece));
            }
            stream.frame(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
                    + ",\"delta\":{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}}"));
            blockStop(stream, index++);
        }
        if (a.toolCall() != null) {
            StringBuilder block = new StringBuilder(96).append("{\"type\":\"tool_use\",\"id\":\"")
                    .append(Ids.toolUse()).append("\",\"name\":");
            Json.quote(block, a.toolCall().name()).append(",\"input\":{}}");
            blockStart(stream, index, block.toString());
            for (String piece : a.arguments()) {
                stream.contentFrame(delta(index, "input_json_delta", "partial_json", piece));
            }
        } else {
            blockStart(stream, index, "{\"type\":\"text\",\"text\":\"\"}");
            for (String piece : a.text()) {
                stream.contentFrame(delta(index, "text_delta", "text", piece));
            }
        }
        blockStop(stream, index);

        StringBuilder end = new StringBuilder(128).append("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":");
        Json.quote(end, stopReason(b, a)).append(",\"stop_sequence\":null}");
        if (withUsage) {
            end.append(",\"usage\":{\"output_tokens\":").append(a.completionTokens()).append('}');
        }
        stream.frame(event("message_delta", end.append('}').toString()));
        stream.frame(event("message_stop", "{\"type\":\"message_stop\"}"));
        stream.play(ex);
    }

    private static void blockStart(SseWriter stream, int index, String block) {
        stream.frame(event("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}"));
        if (index == 0) {
            stream.frame(event("ping", "{\"type\": \"ping\"}"));
        }
    }

    private static void blockStop(SseWriter stream, int index) {
        stream.frame(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
    }

    private static String delta(int index, String type, String field, String value) {
        StringBuilder out = new StringBuilder(96 + value.length())
                .append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":")
                .append(index).append(",\"delta\":{\"type\":\"").append(type).append("\",\"").append(field)
                .append("\":");
        return Json.quote(out, value).append("}}\n\n").toString();
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static String stopReason(SimBehaviour b, Answer a) {
        if (b.fault() == SimBehaviour.Fault.NO_FINISH_REASON) {
            return null;
        }
        return a.toolCall() != null ? "tool_use" : a.truncated() ? "max_tokens" : "end_turn";
    }

    /** Anthropic's usage: {@code input_tokens} excludes what was read from or written to the cache. */
    private static StringBuilder usage(StringBuilder out, Answer a, int outputTokens) {
        return out.append("{\"input_tokens\":").append(a.promptTokens())
                .append(",\"cache_creation_input_tokens\":").append(a.cacheCreationTokens())
                .append(",\"cache_read_input_tokens\":").append(a.cachedTokens())
                .append(",\"output_tokens\":").append(outputTokens)
                .append(",\"service_tier\":\"standard\"}");
    }

    /** The tool call's arguments as the JSON object {@code input} must be ({@code {}} if they are not one). */
    private static String toolInput(Answer a) {
        try {
            JsonNode input = Json.MAPPER.readTree(a.toolCall().arguments());
            return input != null && input.isObject() ? input.toString() : "{}";
        } catch (IOException e) {
            return "{}";
        }
    }

    // ---- models ----

    /** {@code GET /v1/models} as Anthropic lists them (asked with an {@code anthropic-version} header). */
    void models(Exchange ex) {
        ex.serve(false, () -> {
            List<String> ids = models.get();
            StringBuilder out = new StringBuilder(256).append("{\"data\":[");
            for (int i = 0; i < ids.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Json.quote(out.append("{\"type\":\"model\",\"id\":"), ids.get(i)).append(",\"display_name\":");
                Json.quote(out, ids.get(i)).append(",\"created_at\":\"2025-01-01T00:00:00Z\"}");
            }
            out.append("],\"has_more\":false,\"first_id\":");
            Json.quote(out, ids.isEmpty() ? null : ids.get(0)).append(",\"last_id\":");
            Json.quote(out, ids.isEmpty() ? null : ids.get(ids.size() - 1));
            ex.sendJson(200, out.append('}').toString());
        });
    }
}
