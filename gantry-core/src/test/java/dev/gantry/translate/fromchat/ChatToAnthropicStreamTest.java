package dev.gantry.translate.fromchat;

import static dev.gantry.translate.fromchat.Golden.events;
import static dev.gantry.translate.fromchat.Golden.translateBytewise;
import static dev.gantry.translate.fromchat.Golden.translateWhole;
import static dev.gantry.translate.fromchat.Golden.tree;
import static dev.gantry.translate.fromchat.Golden.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.translate.SseEvent;
import dev.gantry.translate.StreamTranslator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic message streams become chat.completion.chunk streams, event by event. */
class ChatToAnthropicStreamTest {
    private static final ChatToAnthropicTranslation WITH_USAGE = new ChatToAnthropicTranslation(ChatToAnthropicResponseTest.CLOCK, true);
    private static final ChatToAnthropicTranslation WITHOUT_USAGE = WITH_USAGE.withStreamUsage(false);

    private static final String TEXT_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","usage":{"input_tokens":25,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @Test
    void thinkingTextAndTwoToolCallsWithUsage() {
        String out = translateWhole(WITH_USAGE.stream("claude-sonnet"), Golden.bytes("stream-tools.anthropic.sse"));
        Golden.assertText(out, "stream-tools.chat.sse");
    }

    @Test
    void oneByteAtATimeGivesTheSameStream() {
        byte[] upstream = Golden.bytes("stream-tools.anthropic.sse");
        assertThat(translateBytewise(WITH_USAGE.stream("claude-sonnet"), upstream))
                .isEqualTo(translateWhole(WITH_USAGE.stream("claude-sonnet"), upstream));
    }

    @Test
    void toolCallFragmentsConcatenateToTheArguments() {
        List<JsonNode> chunks = dataChunks(translateWhole(WITH_USAGE.stream("m"), Golden.bytes("stream-tools.anthropic.sse")));
        StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
        for (JsonNode chunk : chunks) {
            for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
                arguments[call.get("index").asInt()].append(call.path("function").path("arguments").asText());
            }
        }
        assertThat(tree(arguments[0].toString())).isEqualTo(tree("{\"city\":\"Paris\"}"));
        assertThat(tree(arguments[1].toString())).isEqualTo(tree("{\"city\":\"London\",\"unit\":\"c\"}"));
    }

    @Test
    void withoutIncludeUsageThereIsNoUsageChunkAndNoUsageField() {
        String out = translateWhole(WITHOUT_USAGE.stream("claude-sonnet"), utf8(TEXT_STREAM));
        assertThat(out).isEqualTo("""
                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1750000000,"model":"claude-sonnet","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1750000000,"model":"claude-sonnet","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1750000000,"model":"claude-sonnet","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

                data: [DONE]

                """);
    }

    @Test
    void includeUsageIsReadFromTheClientsRequest() {
        var bound = WITHOUT_USAGE.forRequest(utf8("""
                {"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[]}"""));
        List<JsonNode> chunks = dataChunks(translateWhole(bound.stream("m"), utf8(TEXT_STREAM)));
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage")).isEqualTo(tree("""
                {"prompt_tokens":25,"completion_tokens":15,"total_tokens":40,"prompt_tokens_details":{"cached_tokens":0}}"""));
        assertThat(WITHOUT_USAGE.forRequest(utf8("{\"model\":\"m\",\"stream\":true}")).withStreamUsage(false)).isSameAs(WITHOUT_USAGE);
    }

    @Test
    void aStreamThatEndsWithoutMessageStopIsClosedProperly() {
        String cut = TEXT_STREAM.substring(0, TEXT_STREAM.indexOf("event: message_delta"));
        List<SseEvent> events = events(translateWhole(WITH_USAGE.stream("m"), utf8(cut)));
        assertThat(events).extracting(SseEvent::data).last().isEqualTo("[DONE]");
        JsonNode finish = tree(events.get(events.size() - 3).data());
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(tree(events.get(events.size() - 2).data()).get("usage").get("prompt_tokens").asInt()).isEqualTo(25);
    }

    @Test
    void aStreamCutAfterAToolCallFinishesWithToolCalls() {
        String upstream = Golden.read("stream-tools.anthropic.sse");
        String cut = upstream.substring(0, upstream.indexOf("event: message_delta"));
        List<JsonNode> chunks = dataChunks(translateWhole(WITHOUT_USAGE.stream("m"), utf8(cut)));
        assertThat(chunks.getLast().get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void anEmptyUpstreamStillGivesAWellFormedStream() {
        List<SseEvent> events = events(translateWhole(WITHOUT_USAGE.stream("m"), new byte[0]));
        assertThat(events).extracting(SseEvent::data).last().isEqualTo("[DONE]");
        assertThat(tree(events.getFirst().data()).get("id").asText()).startsWith("chatcmpl-");
    }

    @Test
    void anUpstreamErrorEventBecomesAnOpenAiErrorAndEndsTheStream() {
        String upstream = TEXT_STREAM.substring(0, TEXT_STREAM.indexOf("event: content_block_stop")) + """
                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """;
        StreamTranslator stream = WITH_USAGE.stream("m");
        String out = translateWhole(stream, utf8(upstream));
        List<SseEvent> events = events(out);
        assertThat(tree(events.getLast().data())).isEqualTo(tree("""
                {"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded"}}"""));
        assertThat(out).doesNotContain("[DONE]");
        assertThat(stream.fail(ErrorCode.UPSTREAM_STREAM_CUT, "late")).isEmpty();
    }

    @Test
    void aBrokenUpstreamEndsWithAnErrorEvent() {
        StreamTranslator stream = WITH_USAGE.stream("m");
        stream.feed(utf8(TEXT_STREAM.substring(0, 400)));
        String out = new String(stream.fail(ErrorCode.UPSTREAM_STREAM_CUT, "The upstream stream broke off."), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("""
                data: {"error":{"message":"The upstream stream broke off.","type":"api_error","param":null,"code":"upstream_stream_cut"}}

                """);
        assertThat(stream.end()).isEmpty();
    }

    @Test
    void pingsUnknownEventsAndNonJsonDataAreIgnored() {
        String noisy = TEXT_STREAM.replace("event: content_block_stop", """
                event: ping
                data: {"type":"ping"}

                event: brand_new_event
                data: {"type":"brand_new_event","x":1}

                data: not json

                event: content_block_stop""");
        assertThat(translateWhole(WITH_USAGE.stream("m"), utf8(noisy))).isEqualTo(translateWhole(WITH_USAGE.stream("m"), utf8(TEXT_STREAM)));
    }

    @Test
    void theStructuredOutputToolStreamsAsContent() {
        String upstream = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_2","usage":{"input_tokens":5}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_9","name":"structured_response","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"name\\":"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\"Oslo\\"}"}}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}

                event: message_stop
                data: {"type":"message_stop"}

                """;
        List<JsonNode> chunks = dataChunks(translateWhole(WITHOUT_USAGE.stream("m"), utf8(upstream)));
        StringBuilder content = new StringBuilder();
        for (JsonNode chunk : chunks) {
            JsonNode delta = chunk.get("choices").get(0).get("delta");
            assertThat(delta.has("tool_calls")).isFalse();
            content.append(delta.path("content").asText());
        }
        assertThat(content.toString()).isEqualTo("{\"name\":\"Oslo\"}");
        assertThat(chunks.getLast().get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    }

    private static List<JsonNode> dataChunks(String stream) {
        return events(stream).stream().map(SseEvent::data).filter(d -> !d.equals("[DONE]")).map(Golden::tree).toList();
    }
}
