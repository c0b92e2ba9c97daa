package dev.gantry.translate.fromanthropic;

import dev.gantry.protocol.AnthropicErrorTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream (OpenAI-shaped) errors as Anthropic errors: {@code {"type":"error","error":{"type",
 * "message"}}}, typed by status as Anthropic types them, the upstream's message kept.
 *
 * <p>One status changes: 503 becomes Anthropic's 529 {@code overloaded_error}, which is what an
 * Anthropic client reads as "busy, retry" (Claude Code retries it and may switch to its fallback
 * model).
 *
 * <p>Context-window errors are reworded the way Anthropic words them, because Claude Code acts on
 * those exact words: "input length and `max_tokens` exceed context limit: A + B > C" makes it
 * retry with a smaller {@code max_tokens}, "prompt is too long: A tokens > C maximum" makes it
 * compact the conversation. The wordings of vLLM, SGLang, llama.cpp and OpenAI are recognised;
 * anything else passes unchanged.
 */
final class ErrorMapper {
    private static final int MAX_MESSAGE = 2000;

    /** Whose input is too long and by how much; {@code maxTokens} is -1 when the prompt alone overflows. */
    private record Overflow(long input, long maxTokens, long limit) {}

    // vLLM (V1 engine): "This model's maximum context length is 32768 tokens. However, you requested
    // 8192 output tokens and your prompt contains at least 24577 input tokens, for a total of ..."
    private static final Pattern VLLM = Pattern.compile(
            "maximum context length is (\\d+) tokens\\.\\s+However, you requested (\\d+) output tokens and your prompt contains at least (\\d+) input tokens");
    // vLLM 0.6-0.9: "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum
    // context length is 4096 tokens and your request has 2778 input tokens (8000 > 4096 - 2778)."
    private static final Pattern VLLM_MAX_TOKENS = Pattern.compile(
            "is too large: (\\d+)\\.\\s+This model's maximum context length is (\\d+) tokens and your request has (\\d+) input tokens");
    // vLLM 0.6-0.9: "This model's maximum context length is 1536 tokens. However, your request has 4176 input tokens."
    // OpenAI: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens."
    private static final Pattern PROMPT_OVER = Pattern.compile(
            "maximum context length is (\\d+) tokens\\.\\s+However, (?:your request has (\\d+) input tokens|your messages resulted in (\\d+) tokens)");
    // older vLLM: "... maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion)."
    // OpenRouter: "... maximum context length is 32768 tokens. However, you requested about 37623 tokens (21239 of text input, 16384 in the output)."
    private static final Pattern REQUESTED_SPLIT = Pattern.compile(
            "maximum context length is (\\d+) tokens\\.\\s+However, you requested (?:about )?\\d+ tokens \\((\\d+) (?:in the messages|of text input), (\\d+) in the (?:completion|output)\\)");
    // SGLang: "Requested token count exceeds the model's maximum context length of 4096 tokens. You requested
    // a total of 5000 tokens: 4000 tokens from the input messages and 1000 tokens for the completion."
    private static final Pattern SGLANG = Pattern.compile(
            "maximum context length of (\\d+) tokens\\.\\s+You requested a total of \\d+ tokens: (\\d+) tokens from the input messages and (\\d+) tokens for the completion");
    // SGLang: "The input (345516 tokens) is longer than the model's context length (262144 tokens)."
    private static final Pattern SGLANG_INPUT = Pattern.compile(
            "The input \\((\\d+) tokens\\) is longer than the model's context length \\((\\d+) tokens\\)");
    // llama.cpp: "request (4476 tokens) exceeds the available context size (4096 tokens)"
    private static final Pattern LLAMA_CPP = Pattern.compile(
            "request \\((\\d+) tokens\\) exceeds the available context size \\((\\d+) tokens\\)");

    private final ObjectMapper json;

    ErrorMapper(ObjectMapper json) {
        this.json = json;
    }

    static int status(int upstreamStatus) {
        return upstreamStatus == 503 ? 529 : upstreamStatus;
    }

    /** Anthropic's error type for an HTTP status (Anthropic's or the upstream's). */
    static String type(int status) {
        return AnthropicErrorTypes.forStatus(status);
    }

    byte[] body(int status, byte[] upstreamBody) {
        String message = message(upstreamBody, status);
        if (status >= 400 && status < 500) message = reworded(message);
        return body(type(status), message);
    }

    /**
     * The event that ends a stream when the upstream reports an error inside its stream (vLLM sends
     * {@code data: {"error": {...}}} when generation fails after the 200).
     */
    byte[] streamEvent(JsonNode upstreamError) {
        JsonNode error = upstreamError.has("error") ? upstreamError.get("error") : upstreamError;
        int status = statusOf(error);
        String message = message(upstreamError, status);
        if (status >= 400 && status < 500) message = reworded(message);
        return event(type(status), message);
    }

    /** An {@code event: error} for the client's stream. */
    byte[] event(String type, String message) {
        return ("event: error\ndata: " + new String(body(type, message), StandardCharsets.UTF_8) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] body(String type, String message) {
        ObjectNode out = json.createObjectNode().put("type", "error");
        out.putObject("error").put("type", type).put("message", message);
        try {
            return json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The message in an error body of any shape seen in the field: OpenAI's {@code error.message},
     * Ollama's {@code error} string, vLLM's older top-level {@code message}, FastAPI's
     * {@code detail}; a body that is not JSON is shown as text (unless it is an HTML page).
     */
    private String message(byte[] body, int status) {
        JsonNode root = null;
        try {
            root = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            // not JSON: below
        }
        if (root != null && root.isObject()) return message(root, status);
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.startsWith("<")) return fallback(status);
        return clip(text);
    }

    private static String message(JsonNode root, int status) {
        JsonNode error = root.get("error");
        String m = null;
        if (error != null && error.isTextual()) m = error.asText();
        if (m == null && error != null && error.isObject()) m = ChatFields.text(error.get("message"));
        if (m == null) m = ChatFields.text(root.get("message"));
        if (m == null) {
            JsonNode detail = root.get("detail");
            if (detail != null && detail.isTextual()) m = detail.asText();
            else if (detail != null && detail.isArray()) {
                var joined = new StringBuilder();
                for (JsonNode d : detail) {
                    String one = ChatFields.text(d.get("msg"));
                    if (one == null) continue;
                    if (!joined.isEmpty()) joined.append("; ");
                    joined.append(one);
                }
                if (!joined.isEmpty()) m = joined.toString();
            }
        }
        return m == null || m.isBlank() ? fallback(status) : clip(m.strip());
    }

    private static int statusOf(JsonNode error) {
        JsonNode code = error.get("code");
        if (code != null && code.canConvertToInt() && code.asInt() >= 400 && code.asInt() < 600) return code.asInt();
        if (code != null && code.isTextual() && code.asText().matches("[45]\\d\\d")) return Integer.parseInt(code.asText());
        String type = error.path("type").asText("").toLowerCase(Locale.ROOT);
        if (type.contains("rate")) return 429;
        if (type.contains("overload") || type.contains("unavailable")) return 529;
        if (type.contains("notfound") || type.contains("not_found")) return 404;
        if (type.contains("auth")) return 401;
        if (type.contains("badrequest") || type.contains("invalid")) return 400;
        return 500;
    }

    private static String fallback(int status) {
        return "The upstream model server answered HTTP " + status + ".";
    }

    private static String clip(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
    }

    // ---- context window ----

    static String reworded(String message) {
        Overflow o = overflow(message);
        if (o == null) return message;
        if (o.maxTokens() < 0 || o.input() >= o.limit()) {
            return "prompt is too long: " + o.input() + " tokens > " + o.limit() + " maximum";
        }
        return "input length and `max_tokens` exceed context limit: " + o.input() + " + " + o.maxTokens()
                + " > " + o.limit() + ", decrease input length or `max_tokens` and try again";
    }

    private static Overflow overflow(String m) {
        Matcher x;
        if ((x = VLLM.matcher(m)).find()) return new Overflow(num(x, 3), num(x, 2), num(x, 1));
        if ((x = VLLM_MAX_TOKENS.matcher(m)).find()) return new Overflow(num(x, 3), num(x, 1), num(x, 2));
        if ((x = REQUESTED_SPLIT.matcher(m)).find()) return new Overflow(num(x, 2), num(x, 3), num(x, 1));
        if ((x = SGLANG.matcher(m)).find()) return new Overflow(num(x, 2), num(x, 3), num(x, 1));
        if ((x = PROMPT_OVER.matcher(m)).find()) {
            return new Overflow(x.group(2) != null ? num(x, 2) : num(x, 3), -1, num(x, 1));
        }
        if ((x = SGLANG_INPUT.matcher(m)).find()) return new Overflow(num(x, 1), -1, num(x, 2));
        if ((x = LLAMA_CPP.matcher(m)).find()) return new Overflow(num(x, 1), -1, num(x, 2));
        return null;
    }

    private static long num(Matcher m, int group) {
        return Long.parseLong(m.group(group));
    }
}
