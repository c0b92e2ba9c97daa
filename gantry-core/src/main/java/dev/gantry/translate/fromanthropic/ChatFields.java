package dev.gantry.translate.fromanthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the streamed and the complete answer share: how a Chat Completions finish reason, usage and
 * ids read in Anthropic's terms.
 */
final class ChatFields {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private ChatFields() {}

    /**
     * The mapper of this package: trailing garbage after a JSON value is an error (a tool call's
     * arguments {@code {"a":1}}} are not {@code {"a":1}}), and long strings are fine (base64
     * images; bodies are bounded by the server's size limit).
     */
    static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .build();
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Anthropic's {@code stop_reason} and {@code stop_sequence}. */
    record Stop(String reason, String sequence) {}

    /**
     * @param finishReason the choice's {@code finish_reason}, null when the upstream never sent one
     * @param matchedStop  the stop string the upstream reports having matched (vLLM's
     *                     {@code stop_reason}, SGLang's {@code matched_stop}), or null
     * @param toolCalls    the answer holds tool calls
     */
    static Stop stop(String finishReason, String matchedStop, boolean toolCalls) {
        if (finishReason == null) finishReason = "";
        return switch (finishReason) {
            case "length" -> new Stop("max_tokens", null);
            case "tool_calls", "function_call" -> new Stop("tool_use", null);
            case "content_filter" -> new Stop("refusal", null);
            default -> {
                // servers that force a named tool (and older Ollama) say "stop" for a tool call;
                // Claude Code runs tools only when told tool_use
                if (toolCalls) yield new Stop("tool_use", null);
                if (matchedStop != null && "stop".equals(finishReason)) yield new Stop("stop_sequence", matchedStop);
                yield new Stop("end_turn", null);
            }
        };
    }

    /**
     * The stop string a choice says it matched. vLLM reports it in {@code stop_reason} (a token id,
     * an int, when a stop token ended it instead), SGLang in {@code matched_stop}; plain OpenAI
     * cannot tell a stop sequence from a natural end.
     */
    static String matchedStop(JsonNode choice) {
        JsonNode vllm = choice.get("stop_reason");
        if (vllm != null && vllm.isTextual() && !vllm.asText().isEmpty()) return vllm.asText();
        JsonNode sglang = choice.get("matched_stop");
        if (sglang != null && sglang.isTextual() && !sglang.asText().isEmpty()) return sglang.asText();
        return null;
    }

    /**
     * Anthropic usage from Chat Completions usage. Anthropic's {@code input_tokens} excludes the
     * tokens read from cache; OpenAI's {@code prompt_tokens} includes them. DeepSeek's own API
     * reports cache hits as {@code prompt_cache_hit_tokens}.
     */
    static void putUsage(ObjectNode target, JsonNode usage) {
        long prompt = usage.path("prompt_tokens").asLong(0);
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        if (cached == 0) cached = usage.path("prompt_cache_hit_tokens").asLong(0);
        cached = Math.min(Math.max(cached, 0), prompt);
        target.put("input_tokens", prompt - cached);
        target.put("cache_creation_input_tokens", 0);
        target.put("cache_read_input_tokens", cached);
        target.put("output_tokens", usage.path("completion_tokens").asLong(0));
    }

    /** {@code msg_} and the letters and digits of the upstream's id ({@code chatcmpl-} dropped). */
    static String messageId(String chatId) {
        var id = new StringBuilder("msg_");
        if (chatId != null) {
            String rest = chatId.startsWith("chatcmpl-") ? chatId.substring("chatcmpl-".length()) : chatId;
            for (int i = 0; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) id.append(c);
            }
        }
        return id.length() > "msg_".length() ? id.toString() : randomId("msg_");
    }

    /** The upstream's tool call id, or a fresh Anthropic-style one when it sent none. */
    static String toolUseId(String upstreamId) {
        return upstreamId == null || upstreamId.isEmpty() ? randomId("toolu_") : upstreamId;
    }

    static String randomId(String prefix) {
        var random = ThreadLocalRandom.current();
        var id = new StringBuilder(prefix.length() + 24).append(prefix);
        for (int i = 0; i < 24; i++) id.append(BASE62[random.nextInt(BASE62.length)]);
        return id.toString();
    }

    /**
     * The reasoning text of a message or delta: {@code reasoning_content} (DeepSeek, vLLM, SGLang),
     * else {@code reasoning} (newer vLLM, Ollama, OpenRouter); newer vLLM sends both with the same
     * text, so only one is read.
     */
    static String reasoning(JsonNode messageOrDelta) {
        JsonNode r = messageOrDelta.get("reasoning_content");
        if (r == null || !r.isTextual()) r = messageOrDelta.get("reasoning");
        return r != null && r.isTextual() ? r.asText() : "";
    }

    static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
