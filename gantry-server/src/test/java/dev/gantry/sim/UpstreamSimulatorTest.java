package dev.gantry.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The simulator over real loopback HTTP, as the gateway will see it. */
class UpstreamSimulatorTest {
    /** 24 characters of text: a prompt estimate of 6 tokens. */
    private static final String PROMPT = "say hello to the gateway";
    private static final int PROMPT_TOKENS = 6;
    private static final String VERSION = "2023-06-01";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static UpstreamSimulator sim;

    @BeforeAll
    static void startSimulator() {
        sim = UpstreamSimulator.start(SimBehaviour.healthy());
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.behaviour(SimBehaviour.healthy());
        sim.clearRequests();
    }

    @Test
    void listensOnLoopbackAndAnswersHealth() throws Exception {
        assertThat(sim.port()).isPositive();
        assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Nested
    class OpenAiChat {
        @Test
        void answersWithAChatCompletion() throws Exception {
            HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", false, null));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            JsonNode body = json(response.body());
            assertThat(body.path("id").asText()).startsWith("chatcmpl-");
            assertThat(body.path("object").asText()).isEqualTo("chat.completion");
            assertThat(body.path("model").asText()).isEqualTo("gpt-test");
            JsonNode choice = body.path("choices").path(0);
            assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
            assertThat(choice.path("message").path("content").asText()).isEqualTo("tok0 tok1 tok2 tok3 tok4 ");
            assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
            JsonNode usage = body.path("usage");
            assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
            assertThat(usage.path("completion_tokens").asInt()).isEqualTo(5);
            assertThat(usage.path("total_tokens").asInt()).isEqualTo(PROMPT_TOKENS + 5);
            assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
        }

        @Test
        void streamsRoleThenContentThenFinishThenDoneWithoutUsageUnlessAsked() throws Exception {
            HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", true, null));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
            List<JsonNode> chunks = openAiChunks(response.body());
            assertThat(chunks).hasSize(7);
            assertThat(chunks.get(0).path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
            assertThat(chunks.subList(1, 6))
                    .extracting(c -> c.path("choices").path(0).path("delta").path("content").asText())
                    .containsExactly("tok0 ", "tok1 ", "tok2 ", "tok3 ", "tok4 ");
            assertThat(chunks.get(6).path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
            assertThat(chunks).allSatisfy(c -> {
                assertThat(c.has("usage")).isFalse();
                assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
                assertThat(c.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
                assertThat(c.path("model").asText()).isEqualTo("gpt-test");
            });
        }

        @Test
        void includeUsageAddsALastChunkWithNoChoicesAndTheUsage() throws Exception {
            String request = chat("gpt-test", true, "\"stream_options\":{\"include_usage\":true}");
            List<JsonNode> chunks = openAiChunks(post("/v1/chat/completions", request).body());

            assertThat(chunks).hasSize(8);
            JsonNode last = chunks.get(7);
            assertThat(last.path("choices").isArray()).isTrue();
            assertThat(last.path("choices")).isEmpty();
            assertThat(last.path("usage").path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
            assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
            assertThat(last.path("usage").path("total_tokens").asInt()).isEqualTo(PROMPT_TOKENS + 5);
            // As OpenAI: every other chunk carries "usage": null.
            assertThat(chunks.subList(0, 7)).allSatisfy(c -> assertThat(c.get("usage").isNull()).isTrue());
            assertThat(chunks.get(6).path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        }

        @Test
        void refusesStreamOptionsWithoutStreamLikeOpenAi() throws Exception {
            HttpResponse<String> response = post("/v1/chat/completions",
                    chat("gpt-test", false, "\"stream_options\":{\"include_usage\":true}"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response.body()).path("error").path("param").asText()).isEqualTo("stream_options");
        }

        @Test
        void refusesARequestWithoutModelInOpenAiErrorShape() throws Exception {
            HttpResponse<String> response =
                    post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode error = json(response.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("message").asText()).contains("model");
            assertThat(error.has("param")).isTrue();
            assertThat(error.has("code")).isTrue();
        }

        @Test
        void maxTokensCutsTheAnswerWithFinishReasonLength() throws Exception {
            JsonNode body = json(post("/v1/chat/completions", chat("gpt-test", false, "\"max_tokens\":2")).body());

            assertThat(body.path("choices").path(0).path("message").path("content").asText()).isEqualTo("tok0 tok1 ");
            assertThat(body.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
            assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(2);
        }

        @Test
        void answersWithAToolCall() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withToolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"C\"}"));

            JsonNode choice = json(post("/v1/chat/completions", chat("gpt-test", false, null)).body())
                    .path("choices").path(0);

            assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
            assertThat(choice.path("message").path("content").isNull()).isTrue();
            JsonNode call = choice.path("message").path("tool_calls").path(0);
            assertThat(call.path("id").asText()).startsWith("call_");
            assertThat(call.path("type").asText()).isEqualTo("function");
            assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
            assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Paris\",\"unit\":\"C\"}");
        }

        @Test
        void streamsAToolCallsArgumentsInFragments() throws Exception {
            String arguments = "{\"city\":\"Paris\",\"unit\":\"C\"}";
            sim.behaviour(SimBehaviour.healthy().withToolCall("get_weather", arguments));

            List<JsonNode> chunks = openAiChunks(post("/v1/chat/completions", chat("gpt-test", true, null)).body());

            JsonNode first = chunks.get(0).path("choices").path(0).path("delta");
            assertThat(first.path("role").asText()).isEqualTo("assistant");
            assertThat(first.path("tool_calls").path(0).path("id").asText()).startsWith("call_");
            assertThat(first.path("tool_calls").path(0).path("function").path("name").asText()).isEqualTo("get_weather");
            StringBuilder streamed = new StringBuilder();
            int fragments = 0;
            for (JsonNode chunk : chunks) {
                JsonNode call = chunk.path("choices").path(0).path("delta").path("tool_calls").path(0);
                if (call.path("function").has("arguments")) {
                    assertThat(call.path("index").asInt()).isZero();
                    streamed.append(call.path("function").path("arguments").asText());
                    fragments++;
                }
            }
            assertThat(streamed.toString()).isEqualTo(arguments);
            assertThat(fragments).isEqualTo(1 + 5); // the empty start, then one fragment a chunk
            assertThat(chunks.get(chunks.size() - 1).path("choices").path(0).path("finish_reason").asText())
                    .isEqualTo("tool_calls");
        }

        @Test
        void sendsReasoningContentBeforeTheAnswer() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withReasoning("let me think").withChunks(3));

            JsonNode message = json(post("/v1/chat/completions", chat("deepseek", false, null)).body())
                    .path("choices").path(0).path("message");
            assertThat(message.path("reasoning_content").asText()).isEqualTo("let me think");

            List<JsonNode> chunks = openAiChunks(post("/v1/chat/completions",
                    chat("deepseek", true, "\"stream_options\":{\"include_usage\":true}")).body());
            StringBuilder reasoning = new StringBuilder();
            StringBuilder content = new StringBuilder();
            for (JsonNode chunk : chunks) {
                JsonNode delta = chunk.path("choices").path(0).path("delta");
                if (delta.has("reasoning_content")) {
                    assertThat(content).isEmpty(); // reasoning comes first
                    reasoning.append(delta.path("reasoning_content").asText());
                }
                content.append(delta.path("content").asText(""));
            }
            assertThat(reasoning.toString()).isEqualTo("let me think");
            assertThat(content.toString()).isEqualTo("tok0 tok1 tok2 ");
            JsonNode usage = chunks.get(chunks.size() - 1).path("usage");
            assertThat(usage.path("completion_tokens").asInt()).isEqualTo(6);
            assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(3);
        }

        @Test
        void reportsCachedTokensInsidePromptTokens() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withCachedTokens(100));

            JsonNode usage = json(post("/v1/chat/completions", chat("gpt-test", false, null)).body()).path("usage");

            assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS + 100);
            assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(100);
        }
    }

    @Nested
    class OpenAiEmbeddingsAndModels {
        @Test
        void embedsAStringWithDeterministicVectorsOfTheConfiguredSize() throws Exception {
            String request = "{\"model\":\"text-embedding-3-small\",\"input\":\"" + PROMPT + "\"}";
            JsonNode first = json(post("/v1/embeddings", request).body());
            JsonNode second = json(post("/v1/embeddings", request).body());

            assertThat(first.path("object").asText()).isEqualTo("list");
            assertThat(first.path("model").asText()).isEqualTo("text-embedding-3-small");
            JsonNode item = first.path("data").path(0);
            assertThat(item.path("object").asText()).isEqualTo("embedding");
            assertThat(item.path("index").asInt()).isZero();
            assertThat(item.path("embedding")).hasSize(8);
            assertThat(item.path("embedding")).isEqualTo(second.path("data").path(0).path("embedding"));
            assertThat(first.path("usage").path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
            assertThat(first.path("usage").path("total_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
        }

        @Test
        void embedsAnArrayAndHonoursDimensionsAndBase64() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withEmbeddingDimensions(4));
            JsonNode floats = json(post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\",\"c\"]}").body());
            assertThat(floats.path("data")).hasSize(3);
            assertThat(floats.path("data").path(2).path("index").asInt()).isEqualTo(2);
            assertThat(floats.path("data").path(0).path("embedding")).hasSize(4);
            assertThat(floats.path("data").path(0).path("embedding"))
                    .isNotEqualTo(floats.path("data").path(1).path("embedding"));

            // The OpenAI SDKs ask for base64 by default: little-endian float32s.
            JsonNode base64 = json(post("/v1/embeddings",
                    "{\"model\":\"e\",\"input\":[\"a\",\"b\",\"c\"],\"encoding_format\":\"base64\"}").body());
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(
                    base64.path("data").path(0).path("embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.remaining()).isEqualTo(16);
            for (int i = 0; i < 4; i++) {
                assertThat(bytes.getFloat()).isEqualTo(floats.path("data").path(0).path("embedding").path(i).floatValue());
            }

            JsonNode twelve = json(post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"a\",\"dimensions\":12}").body());
            assertThat(twelve.path("data").path(0).path("embedding")).hasSize(12);
        }

        @Test
        void listsModelsInOpenAiFormatAndInAnthropicFormatForAnthropicClients() throws Exception {
            JsonNode openAi = json(get("/v1/models").body());
            assertThat(openAi.path("object").asText()).isEqualTo("list");
            assertThat(openAi.path("data").path(0).path("object").asText()).isEqualTo("model");
            assertThat(openAi.path("data")).extracting(m -> m.path("id").asText())
                    .containsExactlyElementsOf(UpstreamSimulator.DEFAULT_MODELS);

            JsonNode anthropic = json(get("/v1/models", "anthropic-version", VERSION).body());
            assertThat(anthropic.path("data").path(0).path("type").asText()).isEqualTo("model");
            assertThat(anthropic.path("has_more").asBoolean(true)).isFalse();
            assertThat(anthropic.path("first_id").asText()).isEqualTo(UpstreamSimulator.DEFAULT_MODELS.get(0));
        }
    }

    @Nested
    class AnthropicMessages {
        @Test
        void answersWithAMessage() throws Exception {
            HttpResponse<String> response =
                    post("/v1/messages", message("claude-test", false), "anthropic-version", VERSION);

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response.body());
            assertThat(body.path("id").asText()).startsWith("msg_");
            assertThat(body.path("type").asText()).isEqualTo("message");
            assertThat(body.path("role").asText()).isEqualTo("assistant");
            assertThat(body.path("model").asText()).isEqualTo("claude-test");
            assertThat(body.path("content")).hasSize(1);
            assertThat(body.path("content").path(0).path("type").asText()).isEqualTo("text");
            assertThat(body.path("content").path(0).path("text").asText()).isEqualTo("tok0 tok1 tok2 tok3 tok4 ");
            assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(body.path("stop_sequence").isNull()).isTrue();
            JsonNode usage = body.path("usage");
            assertThat(usage.path("input_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
            assertThat(usage.path("output_tokens").asInt()).isEqualTo(5);
            assertThat(usage.path("cache_read_input_tokens").asInt()).isZero();
            assertThat(usage.path("cache_creation_input_tokens").asInt()).isZero();
        }

        @Test
        void streamsTheEventsInAnthropicsOrder() throws Exception {
            HttpResponse<String> response =
                    post("/v1/messages", message("claude-test", true), "anthropic-version", VERSION);

            assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
            List<SseEvent> events = sseEvents(response.body());
            assertThat(events).extracting(SseEvent::event).containsExactly(
                    "message_start", "content_block_start", "ping",
                    "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop");
            assertThat(events).allSatisfy(e -> assertThat(json(e.data()).path("type").asText()).isEqualTo(e.event()));

            JsonNode start = json(events.get(0).data()).path("message");
            assertThat(start.path("id").asText()).startsWith("msg_");
            assertThat(start.path("model").asText()).isEqualTo("claude-test");
            assertThat(start.path("content")).isEmpty();
            assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
            assertThat(json(events.get(1).data()).path("content_block").path("type").asText()).isEqualTo("text");
            assertThat(events.subList(3, 8)).extracting(e -> json(e.data()).path("delta"))
                    .allSatisfy(d -> assertThat(d.path("type").asText()).isEqualTo("text_delta"))
                    .extracting(d -> d.path("text").asText())
                    .containsExactly("tok0 ", "tok1 ", "tok2 ", "tok3 ", "tok4 ");
            JsonNode delta = json(events.get(9).data());
            assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(5);
        }

        @Test
        void answersWithAToolUseBlock() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withToolCall("get_weather", "{\"city\":\"Paris\"}"));

            JsonNode body = json(post("/v1/messages", message("claude-test", false), "anthropic-version", VERSION).body());

            assertThat(body.path("stop_reason").asText()).isEqualTo("tool_use");
            JsonNode block = body.path("content").path(0);
            assertThat(block.path("type").asText()).isEqualTo("tool_use");
            assertThat(block.path("id").asText()).startsWith("toolu_");
            assertThat(block.path("name").asText()).isEqualTo("get_weather");
            assertThat(block.path("input").path("city").asText()).isEqualTo("Paris");
        }

        @Test
        void streamsAToolUseAsInputJsonDeltas() throws Exception {
            String arguments = "{\"city\":\"Paris\",\"days\":3}";
            sim.behaviour(SimBehaviour.healthy().withToolCall("get_weather", arguments).withChunks(4));

            List<SseEvent> events = sseEvents(
                    post("/v1/messages", message("claude-test", true), "anthropic-version", VERSION).body());

            JsonNode blockStart = json(events.get(1).data()).path("content_block");
            assertThat(blockStart.path("type").asText()).isEqualTo("tool_use");
            assertThat(blockStart.path("name").asText()).isEqualTo("get_weather");
            assertThat(blockStart.path("input")).isEmpty();
            StringBuilder partial = new StringBuilder();
            for (SseEvent e : events) {
                JsonNode d = json(e.data()).path("delta");
                if (d.path("type").asText().equals("input_json_delta")) {
                    partial.append(d.path("partial_json").asText());
                }
            }
            assertThat(partial.toString()).isEqualTo(arguments);
            JsonNode end = json(events.get(events.size() - 2).data());
            assertThat(end.path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
            assertThat(end.path("usage").path("output_tokens").asInt()).isEqualTo(4);
        }

        @Test
        void streamsThinkingFirstWithASignature() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withReasoning("pondering deeply").withChunks(2));

            List<SseEvent> events = sseEvents(
                    post("/v1/messages", message("claude-test", true), "anthropic-version", VERSION).body());

            assertThat(events).extracting(SseEvent::event).containsExactly(
                    "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                    "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop");
            assertThat(json(events.get(1).data()).path("content_block").path("type").asText()).isEqualTo("thinking");
            assertThat(json(events.get(3).data()).path("delta").path("type").asText()).isEqualTo("thinking_delta");
            assertThat(json(events.get(3).data()).path("delta").path("thinking").asText()
                    + json(events.get(4).data()).path("delta").path("thinking").asText()).isEqualTo("pondering deeply");
            JsonNode signature = json(events.get(5).data()).path("delta");
            assertThat(signature.path("type").asText()).isEqualTo("signature_delta");
            assertThat(signature.path("signature").asText()).isNotBlank();
            assertThat(json(events.get(7).data()).path("index").asInt()).isEqualTo(1);
            assertThat(json(events.get(11).data()).path("usage").path("output_tokens").asInt()).isEqualTo(4);

            JsonNode body = json(post("/v1/messages", message("claude-test", false), "anthropic-version", VERSION).body());
            assertThat(body.path("content").path(0).path("type").asText()).isEqualTo("thinking");
            assertThat(body.path("content").path(0).path("thinking").asText()).isEqualTo("pondering deeply");
            assertThat(body.path("content").path(0).path("signature").asText()).isNotBlank();
            assertThat(body.path("content").path(1).path("text").asText()).isEqualTo("tok0 tok1 ");
        }

        @Test
        void reportsCacheReadsOutsideInputTokens() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withCachedTokens(100).withCacheCreationTokens(7));

            List<SseEvent> events = sseEvents(
                    post("/v1/messages", message("claude-test", true), "anthropic-version", VERSION).body());

            JsonNode usage = json(events.get(0).data()).path("message").path("usage");
            assertThat(usage.path("input_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
            assertThat(usage.path("cache_read_input_tokens").asInt()).isEqualTo(100);
            assertThat(usage.path("cache_creation_input_tokens").asInt()).isEqualTo(7);
        }

        @Test
        void countsTokensAsTheMessagesEndpointReportsThem() throws Exception {
            String request = "{\"model\":\"claude-test\",\"system\":\"be brief\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + PROMPT + "\"}]}]}";
            JsonNode counted = json(post("/v1/messages/count_tokens", request, "anthropic-version", VERSION).body());
            JsonNode answered = json(post("/v1/messages", request.replace("{\"model\"", "{\"max_tokens\":64,\"model\""),
                    "anthropic-version", VERSION).body());

            assertThat(counted.path("input_tokens").asInt()).isEqualTo((8 + 24) / 4);
            assertThat(answered.path("usage").path("input_tokens").asInt()).isEqualTo(counted.path("input_tokens").asInt());
        }

        @Test
        void requiresTheVersionHeaderAndMaxTokensLikeAnthropic() throws Exception {
            HttpResponse<String> noVersion = post("/v1/messages", message("claude-test", false));
            assertThat(noVersion.statusCode()).isEqualTo(400);
            JsonNode body = json(noVersion.body());
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(body.path("error").path("message").asText()).contains("anthropic-version");
            assertThat(body.path("request_id").asText())
                    .isEqualTo(noVersion.headers().firstValue("request-id").orElseThrow());

            HttpResponse<String> noMaxTokens = post("/v1/messages",
                    "{\"model\":\"claude-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    "anthropic-version", VERSION);
            assertThat(noMaxTokens.statusCode()).isEqualTo(400);
            assertThat(json(noMaxTokens.body()).path("error").path("message").asText()).startsWith("max_tokens");
        }
    }

    @Nested
    class Faults {
        @Test
        void injectedStatusComesBackInEachProtocolsErrorShapeWithRetryAfter() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withStatus(429, 7));

            HttpResponse<String> openAi = post("/v1/chat/completions", chat("gpt-test", true, null));
            assertThat(openAi.statusCode()).isEqualTo(429);
            assertThat(openAi.headers().firstValue("retry-after")).hasValue("7");
            JsonNode error = json(openAi.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(error.path("message").asText()).isNotBlank();
            assertThat(error.has("type")).isTrue();
            assertThat(error.has("param")).isTrue();

            HttpResponse<String> anthropic = post("/v1/messages", message("c", true), "anthropic-version", VERSION);
            assertThat(anthropic.statusCode()).isEqualTo(429);
            assertThat(anthropic.headers().firstValue("retry-after")).hasValue("7");
            assertThat(json(anthropic.body()).path("type").asText()).isEqualTo("error");
            assertThat(json(anthropic.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");

            sim.behaviour(SimBehaviour.healthy().withStatus(529));
            HttpResponse<String> overloaded = post("/v1/messages", message("c", false), "anthropic-version", VERSION);
            assertThat(overloaded.statusCode()).isEqualTo(529);
            assertThat(overloaded.headers().firstValue("retry-after")).isEmpty();
            assertThat(json(overloaded.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");

            sim.behaviour(SimBehaviour.healthy().withStatus(500));
            assertThat(json(post("/v1/messages", message("c", false), "anthropic-version", VERSION).body())
                    .path("error").path("type").asText()).isEqualTo("api_error");
            assertThat(json(post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}").body())
                    .path("error").path("type").asText()).isEqualTo("server_error");
        }

        @Test
        void resetBeforeResponseClosesTheConnectionWithoutAByte() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withFault(Fault.RESET_BEFORE_RESPONSE));
            long cancelled = sim.cancelledStreams();

            assertThatThrownBy(() -> post("/v1/chat/completions", chat("gpt-test", false, null)))
                    .isInstanceOf(IOException.class);
            RawResponse raw = raw("/v1/chat/completions", chat("gpt-test", true, null), Duration.ofSeconds(5));
            assertThat(raw.text()).isEmpty();
            assertThat(raw.closedByServer()).isTrue();
            assertThat(sim.cancelledStreams()).isEqualTo(cancelled);
        }

        @Test
        void cutMidStreamSendsSomeChunksThenDropsTheConnection() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withCutAfterChunks(2));
            long cancelled = sim.cancelledStreams();

            RawResponse openAi = raw("/v1/chat/completions", chat("gpt-test", true, null), Duration.ofSeconds(5));
            assertThat(openAi.closedByServer()).isTrue();
            assertThat(openAi.text()).startsWith("HTTP/1.1 200").contains("tok0 ", "tok1 ")
                    .doesNotContain("tok2", "finish_reason\":\"stop", "[DONE]")
                    .doesNotEndWith("0\r\n\r\n"); // no last chunk of the chunked encoding
            assertThatThrownBy(() -> post("/v1/chat/completions", chat("gpt-test", true, null)))
                    .isInstanceOf(IOException.class);

            RawResponse anthropic = raw("/v1/messages", message("c", true), Duration.ofSeconds(5),
                    "anthropic-version", VERSION);
            assertThat(anthropic.closedByServer()).isTrue();
            assertThat(anthropic.text()).contains("message_start", "tok1 ").doesNotContain("tok2", "message_stop");

            // Not streaming: the announced length is not delivered.
            assertThatThrownBy(() -> post("/v1/chat/completions", chat("gpt-test", false, null)))
                    .isInstanceOf(IOException.class);
            assertThat(sim.cancelledStreams()).isEqualTo(cancelled); // we cut, the client did not leave
        }

        @Test
        void hangAcceptsAndNeverAnswersAndCountsTheAbandon() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withFault(Fault.HANG));
            long abandoned = sim.abandonedRequests();

            RawResponse raw = raw("/v1/chat/completions", chat("gpt-test", true, null), Duration.ofMillis(400));

            assertThat(raw.text()).isEmpty();
            assertThat(raw.closedByServer()).isFalse();
            assertThat(sim.awaitAbandonedRequests(abandoned + 1, Duration.ofSeconds(5))).isTrue();
            assertThat(sim.lastRequest().path()).isEqualTo("/v1/chat/completions");
        }

        @Test
        void malformedSseBreaksOneDataLineAndGoesOn() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withFault(Fault.MALFORMED_SSE));

            String body = post("/v1/chat/completions", chat("gpt-test", true, null)).body();
            int broken = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                    try {
                        Json.MAPPER.readTree(line.substring(6));
                    } catch (IOException e) {
                        broken++;
                    }
                }
            }
            assertThat(broken).isEqualTo(1);
            assertThat(body).endsWith("data: [DONE]\n\n").contains("tok4 ");

            String events = post("/v1/messages", message("c", true), "anthropic-version", VERSION).body();
            assertThat(events).contains("\"type\":\"text_de\n").endsWith("data: {\"type\":\"message_stop\"}\n\n");
        }

        @Test
        void noUsageOmitsUsageEverywhere() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withFault(Fault.NO_USAGE));

            List<JsonNode> chunks = openAiChunks(post("/v1/chat/completions",
                    chat("gpt-test", true, "\"stream_options\":{\"include_usage\":true}")).body());
            assertThat(chunks).hasSize(7).noneSatisfy(c -> assertThat(c.path("usage").isObject()).isTrue());
            assertThat(json(post("/v1/chat/completions", chat("gpt-test", false, null)).body()).has("usage")).isFalse();
            assertThat(post("/v1/messages", message("c", true), "anthropic-version", VERSION).body())
                    .doesNotContain("usage", "tokens");
            assertThat(json(post("/v1/messages", message("c", false), "anthropic-version", VERSION).body())
                    .has("usage")).isFalse();
            assertThat(json(post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}").body()).has("usage")).isFalse();
        }

        @Test
        void noFinishReasonEndsTheStreamWithoutOne() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withFault(Fault.NO_FINISH_REASON));

            String body = post("/v1/chat/completions", chat("gpt-test", true, null)).body();
            assertThat(body).endsWith("data: [DONE]\n\n");
            assertThat(openAiChunks(body)).hasSize(6)
                    .allSatisfy(c -> assertThat(c.path("choices").path(0).path("finish_reason").isNull()).isTrue());

            List<SseEvent> events =
                    sseEvents(post("/v1/messages", message("c", true), "anthropic-version", VERSION).body());
            JsonNode delta = json(events.get(events.size() - 2).data());
            assertThat(delta.path("delta").path("stop_reason").isNull()).isTrue();
            assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(5);
        }

        @Test
        void latencyDelaysTheHeadersAndChunkDelaySpacesThePieces() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withLatencyMs(150));
            long start = System.nanoTime();
            assertThat(post("/v1/chat/completions", chat("gpt-test", false, null)).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));

            sim.behaviour(SimBehaviour.healthy().withChunks(4).withChunkDelayMs(50));
            start = System.nanoTime();
            assertThat(openAiChunks(post("/v1/chat/completions", chat("gpt-test", true, null)).body())).hasSize(6);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Nested
    class Overrides {
        @Test
        void simMarkerInAMessageOverridesTheBehaviourForThatRequestOnly() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withCachedTokens(3));
            String request = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                    + "\"go SIM{\\\"chunks\\\":2,\\\"status\\\":200} please\"}]}]}";

            JsonNode overridden = json(post("/v1/chat/completions", request).body());
            assertThat(overridden.path("choices").path(0).path("message").path("content").asText()).isEqualTo("tok0 tok1 ");
            // Fields the marker does not name keep the simulator's behaviour.
            assertThat(overridden.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(3);

            JsonNode next = json(post("/v1/chat/completions", chat("gpt-test", false, null)).body());
            assertThat(next.path("usage").path("completion_tokens").asInt()).isEqualTo(5);

            HttpResponse<String> faulted = post("/v1/messages",
                    "{\"model\":\"c\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":"
                            + "\"SIM{\\\"status\\\":529}\"}]}", "anthropic-version", VERSION);
            assertThat(faulted.statusCode()).isEqualTo(529);
        }

        @Test
        void aBadMarkerIsRefusedLoudly() throws Exception {
            HttpResponse<String> response = post("/v1/chat/completions",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"SIM{\\\"chunkz\\\":1}\"}]}");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response.body()).path("error").path("message").asText()).contains("SIM", "chunkz");
        }

        @Test
        void controlEndpointReplacesTheBehaviourForAProcess() throws Exception {
            HttpResponse<String> set = post("/sim/behaviour", "{\"chunks\":1,\"fault\":\"no_usage\"}");
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(sim.behaviour()).isEqualTo(SimBehaviour.healthy().withChunks(1).withFault(Fault.NO_USAGE));
            assertThat(SimBehaviour.fromJson(get("/sim/behaviour").body())).isEqualTo(sim.behaviour());
            assertThat(post("/sim/behaviour", "{\"chunk\":1}").statusCode()).isEqualTo(400);

            JsonNode stats = json(get("/sim/stats").body());
            assertThat(stats.path("received").asLong()).isEqualTo(sim.requestCount());
            assertThat(stats.has("cancelledStreams")).isTrue();
            assertThat(sim.requests()).isEmpty(); // control calls are not recorded

            post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}");
            JsonNode requests = json(get("/sim/requests").body());
            assertThat(requests).hasSize(1);
            assertThat(requests.path(0).path("path").asText()).isEqualTo("/v1/embeddings");
            assertThat(requests.path(0).path("headers").path("content-type").path(0).asText())
                    .isEqualTo("application/json");
            assertThat(post("/sim/clear", "").statusCode()).isEqualTo(200);
            assertThat(sim.requests()).isEmpty();
        }
    }

    @Nested
    class Auth {
        @Test
        void openAiEndpointsRequireTheBearerKeyWhenSet() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withExpectedApiKey("sk-upstream"));

            HttpResponse<String> missing = post("/v1/chat/completions", chat("gpt-test", false, null));
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(json(missing.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");

            HttpResponse<String> wrong = post("/v1/chat/completions", chat("gpt-test", false, null),
                    "Authorization", "Bearer sk-other");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(json(wrong.body()).path("error").path("code").asText()).isEqualTo("invalid_api_key");

            assertThat(post("/v1/chat/completions", chat("gpt-test", false, null),
                    "Authorization", "Bearer sk-upstream").statusCode()).isEqualTo(200);
            assertThat(get("/v1/models").statusCode()).isEqualTo(401);
            assertThat(post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}",
                    "Authorization", "Bearer sk-upstream").statusCode()).isEqualTo(200);
        }

        @Test
        void anthropicEndpointsRequireTheXApiKeyWhenSet() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withExpectedApiKey("sk-ant-upstream"));

            HttpResponse<String> bearer = post("/v1/messages", message("c", false),
                    "anthropic-version", VERSION, "Authorization", "Bearer sk-ant-upstream");
            assertThat(bearer.statusCode()).isEqualTo(401);
            assertThat(json(bearer.body()).path("type").asText()).isEqualTo("error");
            assertThat(json(bearer.body()).path("error").path("type").asText()).isEqualTo("authentication_error");

            assertThat(post("/v1/messages", message("c", false),
                    "anthropic-version", VERSION, "x-api-key", "sk-ant-upstream").statusCode()).isEqualTo(200);
            assertThat(post("/v1/messages/count_tokens", message("c", false),
                    "anthropic-version", VERSION, "x-api-key", "wrong").statusCode()).isEqualTo(401);
        }
    }

    @Nested
    class Recording {
        @Test
        void recordsWhatItReceived() throws Exception {
            String body = chat("gpt-test", false, null);
            post("/v1/chat/completions", body, "Authorization", "Bearer sk-x", "X-Trace", "t1");

            RecordedRequest last = sim.lastRequest();
            assertThat(last.method()).isEqualTo("POST");
            assertThat(last.path()).isEqualTo("/v1/chat/completions");
            assertThat(last.header("authorization")).hasValue("Bearer sk-x");
            assertThat(last.header("X-TRACE")).hasValue("t1");
            assertThat(last.body()).isEqualTo(body);
            assertThat(last.json().path("model").asText()).isEqualTo("gpt-test");
            assertThat(sim.requests()).containsExactly(last);

            sim.clearRequests();
            assertThat(sim.requests()).isEmpty();
            assertThatThrownBy(sim::lastRequest).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void keepsOnlyTheLastThousandRequests() {
            RequestLog log = new RequestLog(RequestLog.DEFAULT_CAPACITY);
            for (int i = 0; i < 1_005; i++) {
                log.record(new RecordedRequest("GET", "/" + i, Map.of(), ""));
            }
            assertThat(log.requests()).hasSize(1_000);
            assertThat(log.requests().get(0).path()).isEqualTo("/5");
            assertThat(log.last().path()).isEqualTo("/1004");
            assertThat(log.received()).isEqualTo(1_005);
        }

        @Test
        void countsStreamsWhoseClientWentAway() throws Exception {
            sim.behaviour(SimBehaviour.healthy().withChunks(50).withChunkDelayMs(20));
            long before = sim.cancelledStreams();

            try (Socket socket = new Socket("127.0.0.1", sim.port())) {
                send(socket, "/v1/chat/completions", chat("gpt-test", true, null));
                socket.setSoTimeout(5_000);
                String start = readUntil(socket.getInputStream(), "tok1 ");
                assertThat(start).startsWith("HTTP/1.1 200");
            } // the client leaves mid-stream

            assertThat(sim.awaitCancelledStreams(before + 1, Duration.ofSeconds(5))).isTrue();
            // A stream that runs to its end is not counted.
            sim.behaviour(SimBehaviour.healthy());
            post("/v1/chat/completions", chat("gpt-test", true, null));
            assertThat(sim.cancelledStreams()).isEqualTo(before + 1);
        }
    }

    @Test
    void servesFromSeveralEventLoops() throws Exception {
        try (UpstreamSimulator multi = UpstreamSimulator.start(SimBehaviour.healthy(), "127.0.0.1", 0, 2)) {
            for (int i = 0; i < 4; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(multi.baseUrl() + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(chat("gpt-test", false, null)))
                        .build();
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }
            assertThat(multi.requestCount()).isEqualTo(4);
        }
    }

    // ---- helpers ----

    private static String chat(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + (extra == null ? "" : "," + extra)
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
    }

    private static String message(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":1024,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
    }

    private static HttpResponse<String> post(String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The JSON chunks of an OpenAI stream, {@code [DONE]} left out. */
    private static List<JsonNode> openAiChunks(String body) {
        List<JsonNode> chunks = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            assertThat(frame).startsWith("data: ");
            String data = frame.substring(6);
            if (!data.equals("[DONE]")) {
                chunks.add(json(data));
            }
        }
        return chunks;
    }

    private record SseEvent(String event, String data) {}

    private static List<SseEvent> sseEvents(String body) {
        List<SseEvent> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            String[] lines = frame.split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            events.add(new SseEvent(lines[0].substring(7), lines[1].substring(6)));
        }
        return events;
    }

    /** What came back on a raw connection, and whether the server closed it. */
    private record RawResponse(String text, boolean closedByServer) {}

    /** A request over a bare socket, to see exactly what the server sends and when it closes. */
    private static RawResponse raw(String path, String body, Duration readFor, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sim.port())) {
            send(socket, path, body, headers);
            socket.setSoTimeout((int) readFor.toMillis());
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
                return new RawResponse(text.toString(), true);
            } catch (SocketTimeoutException e) {
                return new RawResponse(text.toString(), false);
            } catch (IOException e) { // reset by peer
                return new RawResponse(text.toString(), true);
            }
        }
    }

    private static void send(Socket socket, String path, String body, String... headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!text.toString().contains(marker)) {
            int n = in.read(buffer);
            if (n == -1) {
                throw new AssertionError("closed before " + marker + ": " + text);
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
