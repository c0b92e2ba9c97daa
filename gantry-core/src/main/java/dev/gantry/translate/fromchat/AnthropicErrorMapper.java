package dev.gantry.translate.fromchat;

import dev.gantry.protocol.AnthropicErrorTypes;
import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * Anthropic errors → OpenAI errors ({@code {"error":{"message","type","param","code"}}}), with the
 * type and code an OpenAI client acts on: {@code rate_limit_exceeded} and server errors are retried
 * by the SDKs (by status, which {@link #status} keeps retryable), {@code context_length_exceeded}
 * makes agents compact their history.
 */
final class AnthropicErrorMapper {
    private static final int MAX_RAW_MESSAGE = 500;

    private AnthropicErrorMapper() {}

    /** Anthropic's 529 (overloaded) is unknown to OpenAI clients; 503 says the same and is retried. */
    static int status(int upstreamStatus) {
        return upstreamStatus == 529 ? 503 : upstreamStatus;
    }

    static byte[] toOpenAi(int status, byte[] upstreamBody) {
        JsonNode root = TranslationJson.parseOrNull(new String(upstreamBody, StandardCharsets.UTF_8));
        JsonNode error = root == null ? null : root.get("error");
        if (error != null && error.isObject()) {
            return TranslationJson.bytes(wrap(openAiError(TranslationJson.text(error.get("type")), TranslationJson.text(error.get("message")), status)));
        }
        String text = new String(upstreamBody, StandardCharsets.UTF_8).strip();
        if (text.length() > MAX_RAW_MESSAGE) text = text.substring(0, MAX_RAW_MESSAGE) + "...";
        String message = "The upstream server answered HTTP " + status + (text.isEmpty() ? "." : ": " + text);
        return TranslationJson.bytes(wrap(openAiError(null, message, status)));
    }

    static ObjectNode wrap(ObjectNode error) {
        ObjectNode root = TranslationJson.object();
        root.set("error", error);
        return root;
    }

    /** The OpenAI {@code error} object for an Anthropic error type (null: judged by status) and message. */
    static ObjectNode openAiError(String anthropicType, String message, int status) {
        String type = anthropicType != null ? anthropicType : AnthropicErrorTypes.forStatus(status);
        String msg = message == null || message.isEmpty() ? type : message;
        String[] mapped = switch (type) {
            case "invalid_request_error" -> isContextLength(msg)
                    ? new String[] {"invalid_request_error", "context_length_exceeded"}
                    : new String[] {"invalid_request_error", null};
            case "authentication_error" -> new String[] {"invalid_request_error", "invalid_api_key"};
            case "permission_error" -> new String[] {"permission_error", "forbidden"};
            case "not_found_error" -> new String[] {"invalid_request_error", "not_found"};
            case "request_too_large" -> new String[] {"invalid_request_error", "request_too_large"};
            case "rate_limit_error" -> new String[] {"rate_limit_error", "rate_limit_exceeded"};
            case "billing_error" -> new String[] {"insufficient_quota", "insufficient_quota"};
            case "timeout_error" -> new String[] {"timeout_error", "timeout"};
            case "overloaded_error" -> new String[] {"server_error", "overloaded"};
            default -> new String[] {"server_error", null}; // api_error and whatever comes next
        };
        ObjectNode error = TranslationJson.object();
        error.put("message", msg);
        error.put("type", mapped[0]);
        error.putNull("param");
        if (mapped[1] == null) error.putNull("code");
        else error.put("code", mapped[1]);
        return error;
    }

    /** Anthropic: "prompt is too long: 210000 tokens > 200000 maximum". */
    private static boolean isContextLength(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("prompt is too long") || m.contains("context window") || m.contains("context length");
    }

}
