package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Errors of an OpenAI-compatible server → OpenAI's error shape. OpenAI's own shape passes as it is;
 * the shapes of vLLM ({@code {"object":"error","message","type","code":400}}), Ollama
 * ({@code {"error":"..."}}) and non-JSON bodies are rewritten into it, and a context-length error
 * gets OpenAI's {@code context_length_exceeded} code, on which Codex compacts its history.
 */
final class OpenAiErrorMapper {
    private static final int MAX_RAW_MESSAGE = 500;

    private OpenAiErrorMapper() {}

    static byte[] toOpenAi(int status, byte[] upstreamBody) {
        JsonNode root = TranslationJson.parseOrNull(new String(upstreamBody, StandardCharsets.UTF_8));
        if (root != null && root.path("error").isObject() && root.path("error").path("message").isTextual()) {
            JsonNode code = root.path("error").get("code");
            if (code == null || code.isNull() || code.isTextual()) return upstreamBody; // OpenAI's own shape
        }
        return TranslationJson.bytes(wrap(error(root, upstreamBody, status)));
    }

    /** The {@code error} object of an upstream error body or stream event, in OpenAI's shape. */
    static ObjectNode error(JsonNode root, byte[] raw, int status) {
        JsonNode source = root == null ? null : root.path("error").isObject() ? root.get("error") : root;
        String message = null;
        String type = null;
        String code = null;
        JsonNode param = null;
        if (source != null && source.isObject()) {
            message = TranslationJson.text(source.get("message"));
            if (message == null) message = TranslationJson.text(source.get("error")); // Ollama: {"error": "..."}
            type = TranslationJson.text(source.get("type"));
            code = TranslationJson.text(source.get("code"));
            param = source.get("param");
        }
        if (message == null) {
            String text = raw == null ? "" : new String(raw, StandardCharsets.UTF_8).strip();
            if (text.length() > MAX_RAW_MESSAGE) text = text.substring(0, MAX_RAW_MESSAGE) + "...";
            message = "The upstream server answered HTTP " + status + (text.isEmpty() ? "." : ": " + text);
        }
        if (code == null && isContextLength(message)) code = "context_length_exceeded";
        if (type == null || type.endsWith("Error")) type = typeForStatus(status); // vLLM names Python exceptions
        ObjectNode error = TranslationJson.object();
        error.put("message", message);
        error.put("type", type);
        if (param != null && param.isTextual()) error.set("param", param);
        else error.putNull("param");
        if (code == null) error.putNull("code");
        else error.put("code", code);
        return error;
    }

    static ObjectNode wrap(ObjectNode error) {
        ObjectNode root = TranslationJson.object();
        root.set("error", error);
        return root;
    }

    private static boolean isContextLength(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("maximum context length") || m.contains("context length") || m.contains("context window")
                || m.contains("prompt is too long");
    }

    private static String typeForStatus(int status) {
        if (status == 429) return "rate_limit_error";
        if (status >= 500) return "server_error";
        if (status == 401) return "authentication_error";
        if (status == 403) return "permission_error";
        if (status == 404) return "not_found_error";
        return "invalid_request_error";
    }
}
