package dev.gantry.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The OpenAI endpoints: {@code /v1/chat/completions} (JSON or SSE), {@code /v1/embeddings},
 * {@code /v1/models}, in OpenAI's wire format, including what the OpenAI-compatible servers add
 * ({@code reasoning_content}, as vLLM and DeepSeek send it).
 *
 * <p>Streams follow OpenAI exactly: a first chunk with {@code delta.role}, one chunk per piece,
 * a chunk with {@code finish_reason} and an empty delta, then, only when the request sets
 * {@code stream_options.include_usage}, a chunk with {@code "choices":[]} and the usage (every
 * earlier chunk then carries {@code "usage":null}), then {@code data: [DONE]}.
 */
final class OpenAiEndpoints {
    private static final String FINGERPRINT = "fp_5a1c0d3e9b";

    private final Supplier<List<String>> models;

    OpenAiEndpoints(Supplier<List<String>> models) {
        this.models = models;
    }

    // ---- chat completions ----

    void chatCompletions(Exchange ex) {
        ex.serve(true, () -> {
            JsonNode req = ex.json();
            String model = ex.model();
            if (model == null) {
                ex.sendInvalidRequest("you must provide a model parameter", null);
                return;
            }
            if (!req.path("messages").isArray()) {
                ex.sendInvalidRequest("Missing required parameter: 'messages'.", "messages");
                return;
            }
            boolean stream = req.path("stream").asBoolean(false);
            JsonNode streamOptions = req.get("stream_options");
            if (!stream && streamOptions != null && !streamOptions.isNull()) {
                // As OpenAI and vLLM do: a gateway that adds stream_options to a non-streaming
                // request would be refused by the real servers.
                ex.sendInvalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                        "stream_options");
                return;
            }
            int maxTokens = req.path("max_completion_tokens").asInt(req.path("max_tokens").asInt(0));
            Answer answer = Answer.plan(ex.behaviour(), ex.promptTokens(), maxTokens);
            if (stream) {
                boolean includeUsage = streamOptions != null && streamOptions.path("include_usage").asBoolean(false);
                chatStream(ex, model, answer, includeUsage);
            } else {
                ex.sendAnswer(chatCompletion(ex.behaviour(), model, answer));
            }
        });
    }

    private static String chatCompletion(SimBehaviour b, String model, Answer a) {
        StringBuilder out = new StringBuilder(512).append("{\"id\":\"").append(Ids.chatCompletion())
                .append("\",\"object\":\"chat.completion\",\"created\":").append(now()).append(",\"model\":");
        Json.quote(out, model).append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
        if (a.toolCall() != null) {
            out.append("null");
        } else {
            Json.quote(out, a.fullText());
        }
        if (!a.reasoning().isEmpty()) {
            Json.quote(out.append(",\"reasoning_content\":"), a.fullReasoning());
        }
        if (a.toolCall() != null) {
            out.append(",\"tool_calls\":[{\"id\":\"").append(Ids.toolCall())
                    .append("\",\"type\":\"function\",\"function\":{\"name\":");
            Json.quote(out, a.toolCall().name()).append(",\"arguments\":");
            Json.quote(out, a.toolCall().arguments()).append("}}]");
        }
        out.append(",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":");
        Json.quote(out, finishReason(b, a)).append('}').append(']');
        if (b.fault() != SimBehaviour.Fault.NO_USAGE) {
            usage(out.append(",\"usage\":"), a);
        }
        return out.append(",\"service_tier\":\"default\",\"system_fingerprint\":\"").append(FINGERPRINT)
                .append("\"}").toString();
    }

    private static void chatStream(Exchange ex, String model, Answer a, boolean includeUsage) {
        SimBehaviour b = ex.behaviour();
        StringBuilder prefix = new StringBuilder(160).append("data: {\"id\":\"").append(Ids.chatCompletion())
                .append("\",\"object\":\"chat.completion.chunk\",\"created\":").append(now()).append(",\"model\":");
        Json.quote(prefix, model).append(",\"service_tier\":\"default\",\"system_fingerprint\":\"")
                .append(FINGERPRINT).append("\",\"choices\":[");
        String head = prefix.toString();
        String tail = includeUsage ? "],\"usage\":null}\n\n" : "]}\n\n";

        SseWriter stream = new SseWriter(head + "{\"index\":0,\"delta\":{\"content\":\"tok\n\n");
        if (a.toolCall() != null) {
            StringBuilder first = new StringBuilder(160).append(
                    "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"")
                    .append(Ids.toolCall()).append("\",\"type\":\"function\",\"function\":{\"name\":");
            Json.quote(first, a.toolCall().name()).append(",\"arguments\":\"\"}}],\"refusal\":null}");
            stream.frame(chunk(head, first.toString(), null, tail));
        } else {
            stream.frame(chunk(head, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null, tail));
        }
        for (String piece : a.reasoning()) {
            stream.contentFrame(chunk(head, delta("reasoning_content", piece), null, tail));
        }
        for (String piece : a.text()) {
            stream.contentFrame(chunk(head, delta("content", piece), null, tail));
        }
        for (String piece : a.arguments()) {
            StringBuilder d = new StringBuilder(64).append("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":");
            Json.quote(d, piece).append("}}]}");
            stream.contentFrame(chunk(head, d.toString(), null, tail));
        }
        if (b.fault() != SimBehaviour.Fault.NO_FINISH_REASON) {
            stream.frame(chunk(head, "{}", finishReason(b, a), tail));
        }
        if (includeUsage && b.fault() != SimBehaviour.Fault.NO_USAGE) {
            stream.frame(usage(new StringBuilder(head).append("],\"usage\":"), a).append("}\n\n").toString());
        }
        stream.frame("data: [DONE]\n\n");
        stream.play(ex);
    }

    private static String chunk(String head, String delta, String finishReason, String tail) {
        StringBuilder out = new StringBuilder(head.length() + delta.length() + 64 + tail.length())
                .append(head).append("{\"index\":0,\"delta\":").append(delta)
                .append(",\"logprobs\":null,\"finish_reason\":");
        return Json.quote(out, finishReason).append('}').append(tail).toString();
    }

    private static String delta(String field, String value) {
        StringBuilder out = new StringBuilder(value.length() + 24).append("{\"").append(field).append("\":");
        return Json.quote(out, value).append('}').toString();
    }

    private static String finishReason(SimBehaviour b, Answer a) {
        if (b.fault() == SimBehaviour.Fault.NO_FINISH_REASON) {
            return null;
        }
        return a.toolCall() != null ? "tool_calls" : a.truncated() ? "length" : "stop";
    }

    /** OpenAI's usage object; cached tokens are part of {@code prompt_tokens}. */
    private static StringBuilder usage(StringBuilder out, Answer a) {
        int prompt = a.promptTokens() + a.cachedTokens();
        int completion = a.completionTokens();
        return out.append("{\"prompt_tokens\":").append(prompt)
                .append(",\"completion_tokens\":").append(completion)
                .append(",\"total_tokens\":").append(prompt + completion)
                .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(a.cachedTokens())
                .append(",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":")
                .append(a.reasoning().size())
                .append(",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}");
    }

    // ---- embeddings ----

    void embeddings(Exchange ex) {
        ex.serve(true, () -> {
            JsonNode req = ex.json();
            String model = ex.model();
            if (model == null) {
                ex.sendInvalidRequest("you must provide a model parameter", null);
                return;
            }
            List<String> inputs = embeddingInputs(req.get("input"));
            if (inputs == null) {
                ex.sendInvalidRequest("'input' is a required property and must be a string or an array", "input");
                return;
            }
            String format = req.path("encoding_format").asText("float");
            if (!format.equals("float") && !format.equals("base64")) {
                ex.sendInvalidRequest("'encoding_format' must be 'float' or 'base64'", "encoding_format");
                return;
            }
            // The OpenAI SDKs ask for base64 by default and decode it themselves.
            boolean base64 = format.equals("base64");
            int dimensions = req.path("dimensions").asInt(ex.behaviour().embeddingDimensions());
            StringBuilder out = new StringBuilder(64 + inputs.size() * (dimensions * 12 + 48))
                    .append("{\"object\":\"list\",\"data\":[");
            for (int i = 0; i < inputs.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
                float[] vector = vector(inputs.get(i), dimensions);
                if (base64) {
                    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (float v : vector) {
                        bytes.putFloat(v);
                    }
                    out.append('"').append(Base64.getEncoder().encodeToString(bytes.array())).append('"');
                } else {
                    out.append('[');
                    for (int d = 0; d < vector.length; d++) {
                        if (d > 0) {
                            out.append(',');
                        }
                        out.append(vector[d]);
                    }
                    out.append(']');
                }
                out.append('}');
            }
            out.append("],\"model\":");
            Json.quote(out, model);
            if (ex.behaviour().fault() != SimBehaviour.Fault.NO_USAGE) {
                int tokens = ex.promptTokens();
                out.append(",\"usage\":{\"prompt_tokens\":").append(tokens)
                        .append(",\"total_tokens\":").append(tokens).append('}');
            }
            ex.sendAnswer(out.append('}').toString());
        });
    }

    /** The inputs to embed, each as a seed text; null when {@code input} is missing or empty. */
    private static List<String> embeddingInputs(JsonNode input) {
        if (input == null) {
            return null;
        }
        if (input.isTextual()) {
            return List.of(input.textValue());
        }
        if (!input.isArray() || input.isEmpty()) {
            return null;
        }
        if (input.get(0).isNumber()) {
            return List.of(input.toString()); // one input given as token ids
        }
        List<String> inputs = new ArrayList<>(input.size());
        for (JsonNode element : input) {
            inputs.add(element.isTextual() ? element.textValue() : element.toString());
        }
        return inputs;
    }

    /** A unit vector that depends only on the text and the dimension count. */
    static float[] vector(String text, int dimensions) {
        long state = text.hashCode() * 0x9E3779B97F4A7C15L + dimensions;
        if (state == 0) {
            state = 1; // xorshift stays at zero
        }
        float[] v = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            state ^= state << 13; // xorshift64: defined here, so stable across JDKs
            state ^= state >>> 7;
            state ^= state << 17;
            v[i] = (float) ((state >>> 40) / (double) (1 << 24) * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = norm == 0 ? 1f : (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            v[i] *= scale;
        }
        return v;
    }

    // ---- models ----

    /** {@code GET /v1/models} in OpenAI's list format. */
    void models(Exchange ex) {
        ex.serve(false, () -> {
            StringBuilder out = new StringBuilder(256).append("{\"object\":\"list\",\"data\":[");
            List<String> ids = models.get();
            for (int i = 0; i < ids.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Json.quote(out.append("{\"id\":"), ids.get(i))
                        .append(",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"system\"}");
            }
            ex.sendJson(200, out.append("]}").toString());
        });
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
