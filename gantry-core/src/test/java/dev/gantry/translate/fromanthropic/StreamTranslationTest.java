package dev.gantry.translate.fromanthropic;

import static dev.gantry.translate.fromanthropic.Fixtures.DONE;
import static dev.gantry.translate.fromanthropic.Fixtures.bytes;
import static dev.gantry.translate.fromanthropic.Fixtures.chunk;
import static dev.gantry.translate.fromanthropic.Fixtures.events;
import static dev.gantry.translate.fromanthropic.Fixtures.json;
import static dev.gantry.translate.fromanthropic.Fixtures.message;
import static dev.gantry.translate.fromanthropic.Fixtures.resource;
import static dev.gantry.translate.fromanthropic.Fixtures.translate;
import static dev.gantry.translate.fromanthropic.Fixtures.types;
import static dev.gantry.translate.fromanthropic.Fixtures.usageChunk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.translate.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTranslationTest {
    private final AnthropicToChatTranslation translation = new AnthropicToChatTranslation();

    private StreamTranslator stream() {
        return translation.stream("claude-sonnet-4-5");
    }

    private List<Fixtures.Event> run(String upstream) {
        return events(translate(stream(), upstream));
    }

    @Test
    void reasoningTextAndFragmentedParallelToolCallsGiveTheGoldenEvents() {
        byte[] out = translate(stream(), resource("stream-tool-calls.chat.sse"));
        List<Fixtures.Event> actual = events(out);
        List<Fixtures.Event> expected = events(resource("stream-tool-calls.anthropic.sse"));
        assertThat(types(actual)).containsExactly(
                "message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void fragmentsOfEachToolCallConcatenateToItsArguments() {
        JsonNode message = message(events(translate(stream(), resource("stream-tool-calls.chat.sse"))));
        assertThat(message.get("content")).isEqualTo(json("""
                [{"type":"thinking","thinking":"The user wants two cities.","signature":""},
                 {"type":"text","text":"I'll check both — Paris and Zürich."},
                 {"type":"tool_use","id":"chatcmpl-tool-a1","name":"get_weather","input":{"city":"Paris"}},
                 {"type":"tool_use","id":"chatcmpl-tool-b2","name":"get_weather","input":{"city":"Zürich","unit":"c"}}]"""));
        assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(message.get("usage")).isEqualTo(json("""
                {"input_tokens":176,"cache_creation_input_tokens":0,"cache_read_input_tokens":1024,"output_tokens":90}"""));
    }

    @Test
    void feedingOneByteAtATimeGivesTheSameBytes() {
        byte[] upstream = resource("stream-tool-calls.chat.sse");
        byte[] whole = translate(stream(), upstream);
        StreamTranslator t = stream();
        var out = new ByteArrayOutputStream();
        for (byte b : upstream) out.writeBytes(t.feed(new byte[] {b}));
        out.writeBytes(t.end());
        assertThat(out.toByteArray()).isEqualTo(whole);
    }

    @Test
    void splittingInTwoAtEveryByteGivesTheSameBytes() {
        byte[] upstream = resource("stream-tool-calls.chat.sse");
        byte[] whole = translate(stream(), upstream);
        for (int cut = 0; cut <= upstream.length; cut++) {
            StreamTranslator t = stream();
            var out = new ByteArrayOutputStream();
            out.writeBytes(t.feed(java.util.Arrays.copyOfRange(upstream, 0, cut)));
            out.writeBytes(t.feed(java.util.Arrays.copyOfRange(upstream, cut, upstream.length)));
            out.writeBytes(t.end());
            assertThat(out.toByteArray()).as("split at %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void crlfLineEndingsAreReadTheSame() {
        String lf = chunk("{\"content\":\"Hi\"}", null) + chunk("{}", "stop") + usageChunk(5, 1) + DONE;
        assertThat(run(lf.replace("\n", "\r\n"))).isEqualTo(run(lf));
    }

    @Test
    void messageDeltaWaitsForTheUsageChunkAfterTheFinishReason() {
        StreamTranslator t = stream();
        List<Fixtures.Event> first = events(t.feed(bytes(chunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", null)
                + chunk("{\"content\":\"\"}", "stop"))));
        assertThat(types(first)).containsExactly("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_stop");
        List<Fixtures.Event> rest = events(t.feed(bytes(usageChunk(20, 2))));
        assertThat(types(rest)).containsExactly("message_delta", "message_stop");
        assertThat(rest.getFirst().data()).isEqualTo(json("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                 "usage":{"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2}}"""));
        assertThat(t.feed(bytes(DONE))).isEmpty();
        assertThat(t.end()).isEmpty();
    }

    @Test
    void doneWithoutUsageFinishesWithZeroOutputTokens() {
        List<Fixtures.Event> events = run(chunk("{\"content\":\"Hi\"}", null) + chunk("{}", "length") + DONE);
        assertThat(types(events)).containsExactly("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(5).data()).isEqualTo(json("""
                {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":0}}"""));
    }

    @Test
    void usageInTheFinishChunkItselfIsUsedAtDone() {
        String upstream = chunk("{\"content\":\"Hi\"}", null)
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}\n\n"
                + DONE;
        JsonNode message = message(run(upstream));
        assertThat(message.get("usage").get("input_tokens").asInt()).isEqualTo(9);
        assertThat(message.get("usage").get("output_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void aStopSequenceNamedByVllmIsReported() {
        String upstream = chunk("{\"content\":\"1. a\\n\"}", null)
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\",\"stop_reason\":\"2.\"}]}\n\n"
                + usageChunk(3, 4) + DONE;
        JsonNode message = message(run(upstream));
        assertThat(message.get("stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(message.get("stop_sequence").asText()).isEqualTo("2.");
    }

    @Test
    void reasoningAfterTextOpensANewThinkingBlock() {
        String upstream = chunk("{\"reasoning\":\"a\"}", null) + chunk("{\"content\":\"b\"}", null)
                + chunk("{\"reasoning\":\"c\"}", null) + chunk("{\"content\":\"d\"}", "stop") + DONE;
        JsonNode message = message(run(upstream));
        assertThat(message.get("content")).isEqualTo(json("""
                [{"type":"thinking","thinking":"a","signature":""},{"type":"text","text":"b"},
                 {"type":"thinking","thinking":"c","signature":""},{"type":"text","text":"d"}]"""));
    }

    @Test
    void whollySentToolCallsWithoutIndexAsOllamaSendsThem() {
        String upstream = chunk("""
                {"role":"assistant","content":"","tool_calls":[
                  {"id":"call_x","type":"function","function":{"name":"Read","arguments":"{\\"file_path\\":\\"/a\\"}"}},
                  {"id":"call_y","type":"function","function":{"name":"Read","arguments":"{\\"file_path\\":\\"/b\\"}"}}]}""".replace("\n", ""),
                "tool_calls") + usageChunk(50, 20) + DONE;
        List<Fixtures.Event> events = run(upstream);
        assertThat(types(events)).containsExactly("message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(message(events).get("content")).isEqualTo(json("""
                [{"type":"tool_use","id":"call_x","name":"Read","input":{"file_path":"/a"}},
                 {"type":"tool_use","id":"call_y","name":"Read","input":{"file_path":"/b"}}]"""));
    }

    @Test
    void argumentsBeforeTheNameAreHeldUntilTheBlockCanStart() {
        String upstream = chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"arguments\":\"{\\\"q\\\"\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"search\",\"arguments\":\":1}\"}}]}", null)
                + chunk("{}", "tool_calls") + DONE;
        List<Fixtures.Event> events = run(upstream);
        assertThat(types(events)).containsExactly("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(3).data().get("delta").get("partial_json").asText()).isEqualTo("{\"q\":1}");
        assertThat(message(events).get("content").get(0).get("input")).isEqualTo(json("{\"q\":1}"));
    }

    @Test
    void aToolCallWithoutArgumentsHasAnEmptyInput() {
        List<Fixtures.Event> events = run(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"now\",\"arguments\":\"\"}}]}", "tool_calls") + DONE);
        assertThat(types(events)).containsExactly("message_start", "ping", "content_block_start", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(message(events).get("content").get(0).get("input")).isEqualTo(json("{}"));
    }

    @Test
    void invalidToolArgumentsAreRelayedAsTheyCameAndTheStreamStillEndsProperly() {
        String upstream = chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"Write\",\"arguments\":\"{\\\"content\\\": \\\"unterminated\"}}]}", null)
                + chunk("{}", "length") + usageChunk(10, 4096) + DONE;
        List<Fixtures.Event> events = run(upstream);
        JsonNode message = message(events);
        assertThat(message.get("content").get(0).get("input").asText()).isEqualTo("{\"content\": \"unterminated");
        assertThat(message.get("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void malformedEventsAreSkipped() {
        String upstream = chunk("{\"content\":\"a\"}", null) + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"\n\n"
                + "data: not json at all\n\n" + ": keep-alive comment\n\n" + "data: [1,2]\n\n"
                + chunk("{\"content\":\"c\"}", "stop") + DONE;
        assertThat(message(run(upstream)).get("content")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"ac\"}]"));
    }

    @Test
    void endWithoutFinishReasonOrDoneClosesTheOpenTextBlockAsEndTurn() {
        StreamTranslator t = stream();
        byte[] first = t.feed(bytes(chunk("{\"content\":\"Partial ans\"}", null) + "data: {\"choices\":[{\"delta\":{\"content\":\"wer\"}}]}"));
        byte[] last = t.end(); // the final event had no blank line after it: end() still reads it
        List<Fixtures.Event> events = events(concat(first, last));
        assertThat(types(events)).containsExactly("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        JsonNode message = message(events);
        assertThat(message.get("content").get(0).get("text").asText()).isEqualTo("Partial answer");
        assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void endInsideAToolCallStopsForToolUse() {
        List<Fixtures.Event> events = run(chunk("{\"content\":\"Let me look.\"}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"ls\",\"arguments\":\"{}\"}}]}", null));
        assertThat(types(events)).containsExactly("message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(message(events).get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void anEmptyUpstreamStreamStillGivesAWellFormedMessage() {
        List<Fixtures.Event> events = run("");
        assertThat(types(events)).containsExactly("message_start", "ping", "message_delta", "message_stop");
        assertThat(events.getFirst().data().get("message").get("id").asText()).startsWith("msg_");
    }

    @Test
    void anErrorInsideTheUpstreamStreamEndsTheStreamWithAnErrorEvent() {
        StreamTranslator t = stream();
        byte[] out = concat(t.feed(bytes(chunk("{\"content\":\"Hi\"}", null)
                + "data: {\"error\":{\"object\":\"error\",\"message\":\"CUDA out of memory\",\"type\":\"InternalServerError\",\"param\":null,\"code\":500}}\n\n"
                + chunk("{\"content\":\"ignored\"}", null))), t.end());
        List<Fixtures.Event> events = events(out);
        assertThat(types(events)).containsExactly("message_start", "ping", "content_block_start", "content_block_delta", "error");
        assertThat(events.getLast().data()).isEqualTo(json("""
                {"type":"error","error":{"type":"api_error","message":"CUDA out of memory"}}"""));
    }

    @Test
    void anSseEventNamedErrorIsAnErrorWhateverItsShape() {
        List<Fixtures.Event> events = run("event: error\ndata: {\"message\":\"Rate limit reached\",\"type\":\"rate_limit_exceeded\"}\n\n");
        assertThat(types(events)).containsExactly("error");
        assertThat(events.getFirst().data()).isEqualTo(json("""
                {"type":"error","error":{"type":"rate_limit_error","message":"Rate limit reached"}}"""));
    }

    @Test
    void failEndsTheStreamWithTheGatewaysErrorType() {
        StreamTranslator t = stream();
        t.feed(bytes(chunk("{\"content\":\"Hi\"}", null)));
        byte[] failed = t.fail(ErrorCode.UPSTREAM_TIMEOUT, "The upstream did not answer in time.");
        assertThat(new String(failed, StandardCharsets.UTF_8)).isEqualTo(
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"timeout_error\",\"message\":\"The upstream did not answer in time.\"}}\n\n");
        assertThat(t.feed(bytes(DONE))).isEmpty();
        assertThat(t.end()).isEmpty();
        assertThat(t.fail(ErrorCode.INTERNAL, "again")).isEmpty();
    }

    @Test
    void failAfterACompleteStreamSendsNothing() {
        StreamTranslator t = stream();
        t.feed(bytes(chunk("{\"content\":\"Hi\"}", "stop") + DONE));
        assertThat(t.fail(ErrorCode.UPSTREAM_STREAM_CUT, "cut")).isEmpty();
    }

    @Test
    void onlyTheFirstChoiceIsTranslated() {
        String upstream = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"zero\"}},{\"index\":1,\"delta\":{\"content\":\"one\"}}]}\n\n"
                + chunk("{}", "stop") + DONE;
        assertThat(message(run(upstream)).get("content")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"zero\"}]"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
