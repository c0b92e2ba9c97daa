package dev.gantry.translate.fromchat;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;

/**
 * An Anthropic {@code message} → a {@code chat.completion}, and the pieces the stream translator
 * shares with it (finish reasons, usage, ids).
 */
final class AnthropicMessageMapper {
    private AnthropicMessageMapper() {}

    static byte[] toChatCompletion(byte[] upstreamBody, String clientModel, long created) {
        JsonNode message = TranslationJson.upstream(upstreamBody, "an Anthropic message");
        JsonNode content = message.get("content");
        if (content == null || !content.isArray()) {
            throw new GatewayException(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The upstream answer is not an Anthropic message.");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode toolCalls = TranslationJson.array();
        for (JsonNode block : content) {
            switch (String.valueOf(TranslationJson.text(block.get("type")))) {
                case "text" -> {
                    String t = TranslationJson.text(block.get("text"));
                    if (t != null) text.append(t);
                }
                case "thinking" -> {
                    String thinking = TranslationJson.text(block.get("thinking"));
                    if (thinking != null && !thinking.isEmpty()) {
                        if (!reasoning.isEmpty()) reasoning.append("\n\n");
                        reasoning.append(thinking);
                    }
                }
                case "tool_use" -> {
                    String name = TranslationJson.text(block.get("name"));
                    String arguments = TranslationJson.write(block.has("input") ? block.get("input") : TranslationJson.object());
                    if (ChatRequestMapper.JSON_TOOL.equals(name)) {
                        text.append(arguments);
                    } else {
                        ObjectNode call = toolCalls.addObject();
                        call.put("id", TranslationJson.text(block.get("id")));
                        call.put("type", "function");
                        call.putObject("function").put("name", name).put("arguments", arguments);
                    }
                }
                default -> { } // redacted thinking, server tools and their results: nothing a Chat client can use
            }
        }

        ObjectNode out = TranslationJson.object();
        out.put("id", chatId(TranslationJson.text(message.get("id"))));
        out.put("object", "chat.completion");
        out.put("created", created);
        out.put("model", clientModel);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode msg = choice.putObject("message");
        msg.put("role", "assistant");
        if (text.isEmpty() && !toolCalls.isEmpty()) msg.putNull("content");
        else msg.put("content", text.toString());
        if (!reasoning.isEmpty()) msg.put("reasoning_content", reasoning.toString());
        if (!toolCalls.isEmpty()) msg.set("tool_calls", toolCalls);
        msg.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(TranslationJson.text(message.get("stop_reason")), !toolCalls.isEmpty()));
        JsonNode usage = message.path("usage");
        out.set("usage", usage(usage.path("input_tokens").asLong(), usage.path("cache_read_input_tokens").asLong(),
                usage.path("cache_creation_input_tokens").asLong(), usage.path("output_tokens").asLong()));
        return TranslationJson.bytes(out);
    }

    /** {@code msg_01Abc} → {@code chatcmpl-01Abc}: the same answer is findable on both sides. */
    static String chatId(String anthropicId) {
        if (anthropicId == null || anthropicId.isEmpty()) return "chatcmpl-" + java.util.UUID.randomUUID().toString().replace("-", "");
        return "chatcmpl-" + (anthropicId.startsWith("msg_") ? anthropicId.substring(4) : anthropicId);
    }

    /**
     * Anthropic's stop reason → OpenAI's finish reason. {@code tool_use} without a client tool call
     * (the structured-output tool) is a plain stop; {@code pause_turn} (a server tool paused) ends
     * the answer as it is.
     */
    static String finishReason(String stopReason, boolean toolCalls) {
        return switch (stopReason == null ? "" : stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "refusal" -> "content_filter";
            default -> toolCalls ? "tool_calls" : "stop";
        };
    }

    /**
     * OpenAI counts cached prompt tokens inside {@code prompt_tokens}; Anthropic reports cache reads
     * and writes beside {@code input_tokens}. Both kinds are part of the prompt.
     */
    static ObjectNode usage(long input, long cacheRead, long cacheCreation, long output) {
        long prompt = input + cacheRead + cacheCreation;
        ObjectNode usage = TranslationJson.object();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", output);
        usage.put("total_tokens", prompt + output);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
        return usage;
    }
}
