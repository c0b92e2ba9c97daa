package dev.gantry.translate.fromresponses;

import static dev.gantry.translate.fromresponses.Golden.events;
import static dev.gantry.translate.fromresponses.Golden.translateBytewise;
import static dev.gantry.translate.fromresponses.Golden.translateWhole;
import static dev.gantry.translate.fromresponses.Golden.tree;
import static dev.gantry.translate.fromresponses.Golden.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.translate.SseEvent;
import dev.gantry.translate.StreamTranslator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Chat chunk streams become Responses event streams, event by event. */
class ResponsesToChatStreamTest {

    private static String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"x\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
    }

    private static final String USAGE = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";
    private static final String HELLO = chunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + chunk("{\"content\":\"Hel\"}", null)
            + chunk("{\"content\":\"lo\"}", null);

    private static final List<String> TEXT_EVENTS = List.of("response.created", "response.in_progress",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done");

    private static List<String> types(String stream) {
        return events(stream).stream().map(SseEvent::event).toList();
    }

    private static JsonNode last(String stream) {
        return tree(events(stream).getLast().data());
    }

    @Test
    void reasoningTextAndCallsGoldenStream() {
        String out = translateWhole(Fixtures.codexTranslation().stream("gpt-5-codex"), Golden.bytes("stream-tools.chat.sse"));
        Golden.assertText(out, "stream-tools.responses.sse");
        assertThat(types(out)).containsExactly(
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added",
                "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done", "response.output_item.done",
                "response.completed");
    }

    @Test
    void everyEventNamesItsTypeAndSequenceNumbersCountFromZero() {
        List<SseEvent> events = events(translateWhole(Fixtures.codexTranslation().stream("m"), Golden.bytes("stream-tools.chat.sse")));
        for (int i = 0; i < events.size(); i++) {
            JsonNode data = tree(events.get(i).data());
            assertThat(data.get("type").asText()).isEqualTo(events.get(i).event());
            assertThat(data.get("sequence_number").asInt()).isEqualTo(i);
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameStream() {
        byte[] upstream = Golden.bytes("stream-tools.chat.sse");
        assertThat(translateBytewise(Fixtures.codexTranslation().stream("m"), upstream))
                .isEqualTo(translateWhole(Fixtures.codexTranslation().stream("m"), upstream));
    }

    @Test
    void argumentFragmentsConcatenateToTheArgumentsOfTheDoneItem() {
        List<SseEvent> events = events(translateWhole(Fixtures.codexTranslation().stream("m"), Golden.bytes("stream-tools.chat.sse")));
        StringBuilder fragments = new StringBuilder();
        events.stream().filter(e -> e.event().equals("response.function_call_arguments.delta"))
                .forEach(e -> fragments.append(tree(e.data()).get("delta").asText()));
        assertThat(tree(fragments.toString())).isEqualTo(tree("{\"command\":[\"pytest\"]}"));
        JsonNode completed = tree(events.getLast().data()).get("response");
        assertThat(completed.get("output").get(2).get("arguments").asText()).isEqualTo(fragments.toString());
        assertThat(completed.get("output").get(3)).isEqualTo(tree("""
                {"id":"ctc_5","type":"custom_tool_call","status":"completed","call_id":"call_2","name":"apply_patch",
                 "input":"*** Begin Patch\\n*** End Patch\\n"}"""));
    }

    @Test
    void completionWaitsForTheUsageChunkThatFollowsTheFinishReason() {
        StreamTranslator stream = Fixtures.translation().stream("gpt-5");
        String beforeUsage = new String(stream.feed(utf8(HELLO + chunk("{}", "stop"))), StandardCharsets.UTF_8);
        assertThat(types(beforeUsage)).containsExactlyElementsOf(TEXT_EVENTS);
        String afterUsage = new String(stream.feed(utf8(USAGE)), StandardCharsets.UTF_8);
        assertThat(types(afterUsage)).containsExactly("response.completed");
        JsonNode response = last(afterUsage).get("response");
        assertThat(response.get("status").asText()).isEqualTo("completed");
        assertThat(response.get("usage").get("total_tokens").asInt()).isEqualTo(9);
        assertThat(response.get("output").get(0).get("content").get(0).get("text").asText()).isEqualTo("Hello");
        assertThat(stream.feed(utf8(DONE))).isEmpty();
        assertThat(stream.end()).isEmpty();
    }

    @Test
    void withoutUsageDoneCompletesTheResponse() {
        String out = translateWhole(Fixtures.translation().stream("m"), utf8(HELLO + chunk("{}", "stop") + DONE));
        assertThat(types(out).getLast()).isEqualTo("response.completed");
        assertThat(last(out).get("response").get("usage").isNull()).isTrue();
    }

    @Test
    void aStreamThatEndsWithoutItsFinishIsCompletedProperly() {
        String out = translateWhole(Fixtures.translation().stream("m"), utf8(HELLO));
        assertThat(types(out)).containsExactlyElementsOf(concat(TEXT_EVENTS, "response.completed"));
        assertThat(translateWhole(Fixtures.translation().stream("m"), new byte[0]))
                .satisfies(empty -> assertThat(types(empty)).containsExactly("response.created", "response.in_progress", "response.completed"));
    }

    @Test
    void lengthEndsWithResponseIncomplete() {
        String out = translateWhole(Fixtures.translation().stream("m"), utf8(HELLO + chunk("{}", "length") + USAGE + DONE));
        assertThat(types(out)).containsExactlyElementsOf(concat(TEXT_EVENTS, "response.incomplete"));
        JsonNode response = last(out).get("response");
        assertThat(response.get("status").asText()).isEqualTo("incomplete");
        assertThat(response.get("incomplete_details")).isEqualTo(tree("{\"reason\":\"max_output_tokens\"}"));
        assertThat(response.get("output").get(0).get("status").asText()).isEqualTo("incomplete");
    }

    @Test
    void anUpstreamErrorEventFailsTheResponse() {
        String upstream = HELLO + "data: {\"error\":{\"message\":\"CUDA out of memory\",\"type\":\"InternalServerError\",\"code\":500}}\n\n"
                + chunk("{\"content\":\"never\"}", null) + DONE;
        StreamTranslator stream = Fixtures.translation().stream("m");
        String out = translateWhole(stream, utf8(upstream));
        assertThat(types(out)).containsExactlyElementsOf(concat(TEXT_EVENTS.subList(0, 6), "response.failed"));
        JsonNode response = last(out).get("response");
        assertThat(response.get("status").asText()).isEqualTo("failed");
        assertThat(response.get("error")).isEqualTo(tree("{\"code\":\"server_error\",\"message\":\"CUDA out of memory\"}"));
        assertThat(stream.fail(ErrorCode.UPSTREAM_STREAM_CUT, "late")).isEmpty();
    }

    @Test
    void aBrokenUpstreamEndsWithResponseFailed() {
        StreamTranslator stream = Fixtures.translation().stream("m");
        String out = new String(stream.fail(ErrorCode.UPSTREAM_TIMEOUT, "The upstream stopped answering."), StandardCharsets.UTF_8);
        assertThat(types(out)).containsExactly("response.created", "response.in_progress", "response.failed");
        assertThat(last(out).get("response").get("error"))
                .isEqualTo(tree("{\"code\":\"upstream_timeout\",\"message\":\"The upstream stopped answering.\"}"));
        assertThat(stream.end()).isEmpty();
    }

    @Test
    void callsWithoutIndexOrUnderOneIndexAreTold() {
        String upstream = chunk("{\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":1}\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"h\",\"arguments\":\"{\\\"y\\\":\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"2}\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"d\",\"function\":{\"name\":\"k\",\"arguments\":\"{}\"}}]}", null)
                + chunk("{}", "tool_calls") + DONE;
        JsonNode output = last(translateWhole(Fixtures.translation().stream("m"), utf8(upstream))).get("response").get("output");
        assertThat(output).extracting(item -> item.get("call_id").asText() + " " + item.get("name").asText() + " " + item.get("arguments").asText())
                .containsExactly("a f {\"x\":1}", "b g {}", "c h {\"y\":2}", "d k {}");
    }

    @Test
    void aLocalShellCallIsAddedOnceItsCommandIsKnown() {
        var translation = Fixtures.translation().forRequest(utf8("{\"model\":\"m\",\"tools\":[{\"type\":\"local_shell\"}]}"));
        String upstream = chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"function\":{\"name\":\"local_shell\",\"arguments\":\"{\\\"command\\\":\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"[\\\"ls\\\",\\\"-la\\\"]}\"}}]}", null)
                + chunk("{}", "tool_calls") + DONE;
        String out = translateWhole(translation.stream("m"), utf8(upstream));
        assertThat(types(out)).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.output_item.done", "response.completed");
        assertThat(tree(events(out).get(3).data()).get("item")).isEqualTo(tree("""
                {"id":"lsc_2","type":"local_shell_call","status":"completed","call_id":"call_9",
                 "action":{"type":"exec","command":["ls","-la"],"timeout_ms":null,"working_directory":null,"env":{},"user":null}}"""));
    }

    @Test
    void textAfterCallsOpensANewMessageAfterClosingThem() {
        String upstream = chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}", null)
                + chunk("{\"content\":\"and then\"}", null) + chunk("{}", "stop") + DONE;
        List<SseEvent> events = events(translateWhole(Fixtures.translation().stream("m"), utf8(upstream)));
        List<String> types = events.stream().map(SseEvent::event).toList();
        assertThat(types.indexOf("response.function_call_arguments.done")).isLessThan(types.indexOf("response.content_part.added"));
        JsonNode output = tree(events.getLast().data()).get("response").get("output");
        assertThat(output).extracting(item -> item.get("type").asText()).containsExactly("function_call", "message");
        assertThat(IntStream.range(0, output.size()).mapToObj(i -> output.get(i).get("id").asText())).doesNotHaveDuplicates();
    }

    private static List<String> concat(List<String> head, String tail) {
        return java.util.stream.Stream.concat(head.stream(), java.util.stream.Stream.of(tail)).toList();
    }
}
