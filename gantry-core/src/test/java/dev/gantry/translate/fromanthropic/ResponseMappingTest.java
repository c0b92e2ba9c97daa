package dev.gantry.translate.fromanthropic;

import static dev.gantry.translate.fromanthropic.Fixtures.bytes;
import static dev.gantry.translate.fromanthropic.Fixtures.json;
import static dev.gantry.translate.fromanthropic.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseMappingTest {
    private final AnthropicToChatTranslation translation = new AnthropicToChatTranslation();

    private JsonNode map(String chat) {
        return json(translation.response(bytes(chat), "claude-x"));
    }

    /** A complete answer with one choice whose message and choice fields are given as JSON members. */
    private static String answer(String message, String choiceExtra, String usage) {
        return "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":" + message
                + (choiceExtra.isEmpty() ? "" : "," + choiceExtra) + "}]" + (usage.isEmpty() ? "" : ",\"usage\":" + usage) + "}";
    }

    @Test
    void reasoningTextAndParallelToolCallsBecomeBlocksWithCachedUsage() {
        byte[] out = translation.response(resource("response-tool-calls.chat.json"), "claude-sonnet-4-5");
        assertThat(json(out)).isEqualTo(json(resource("response-tool-calls.anthropic.json")));
    }

    @Test
    void plainTextAnswer() {
        JsonNode out = map(answer("{\"role\":\"assistant\",\"content\":\"Hello!\"}", "\"finish_reason\":\"stop\"",
                "{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}"));
        assertThat(out).isEqualTo(json("""
                {"id":"msg_abc","type":"message","role":"assistant","model":"claude-x",
                 "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}"""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "\"finish_reason\":\"stop\"                                 | end_turn      | ",
            "\"finish_reason\":\"length\"                               | max_tokens    | ",
            "\"finish_reason\":\"tool_calls\"                           | tool_use      | ",
            "\"finish_reason\":\"function_call\"                        | tool_use      | ",
            "\"finish_reason\":\"content_filter\"                       | refusal       | ",
            "\"finish_reason\":null                                     | end_turn      | ",
            "\"finish_reason\":\"abort\"                                | end_turn      | ",
            "\"finish_reason\":\"stop\",\"stop_reason\":\"###\"          | stop_sequence | ###",
            "\"finish_reason\":\"stop\",\"stop_reason\":128001          | end_turn      | ",
            "\"finish_reason\":\"stop\",\"matched_stop\":\"</answer>\"   | stop_sequence | </answer>",
            "\"finish_reason\":\"stop\",\"matched_stop\":151645         | end_turn      | ",
            "\"finish_reason\":\"length\",\"stop_reason\":null          | max_tokens    | ",
    })
    void finishReasonsMapToStopReasons(String choiceFields, String stopReason, String stopSequence) {
        JsonNode out = map(answer("{\"role\":\"assistant\",\"content\":\"x\"}", choiceFields, ""));
        assertThat(out.get("stop_reason").asText()).isEqualTo(stopReason);
        if (stopSequence == null) assertThat(out.get("stop_sequence").isNull()).isTrue();
        else assertThat(out.get("stop_sequence").asText()).isEqualTo(stopSequence);
    }

    @Test
    void toolCallsWithFinishReasonStopStillStopForToolUse() {
        JsonNode out = map(answer("""
                {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                 "function":{"name":"f","arguments":"{}"}}]}""", "\"finish_reason\":\"stop\"", ""));
        assertThat(out.get("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(out.get("content")).isEqualTo(json("[{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"f\",\"input\":{}}]"));
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreKeptRawAndNeverFail() {
        JsonNode out = map(answer("""
                {"role":"assistant","content":"","tool_calls":[
                  {"id":"a","type":"function","function":{"name":"f","arguments":"{\\"path\\": \\"x.txt\\", \\"content\\": \\"hel"}},
                  {"id":"b","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}}"}},
                  {"id":"c","type":"function","function":{"name":"f","arguments":"[1,2]"}},
                  {"id":"d","type":"function","function":{"name":"f","arguments":""}},
                  {"id":"e","type":"function","function":{"name":"f"}},
                  {"id":"f","type":"function","function":{"name":"f","arguments":{"already":"object"}}},
                  {"id":"g","type":"function","function":{"name":"f","arguments":"\\"{\\\\\\"double\\\\\\":\\\\\\"encoded\\\\\\"}\\""}}
                ]}""", "\"finish_reason\":\"length\"", ""));
        JsonNode content = out.get("content");
        assertThat(content.get(0).get("input")).isEqualTo(json("{\"_raw\":\"{\\\"path\\\": \\\"x.txt\\\", \\\"content\\\": \\\"hel\"}"));
        assertThat(content.get(1).get("input")).isEqualTo(json("{\"_raw\":\"{\\\"a\\\":1}}\"}"));
        assertThat(content.get(2).get("input")).isEqualTo(json("{\"_raw\":\"[1,2]\"}"));
        assertThat(content.get(3).get("input")).isEqualTo(json("{}"));
        assertThat(content.get(4).get("input")).isEqualTo(json("{}"));
        assertThat(content.get(5).get("input")).isEqualTo(json("{\"already\":\"object\"}"));
        assertThat(content.get(6).get("input")).isEqualTo(json("{\"double\":\"encoded\"}"));
        assertThat(out.get("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void missingIdsAreMadeUpInAnthropicForm() {
        JsonNode out = json(translation.response(bytes("""
                {"choices":[{"message":{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]},
                 "finish_reason":"tool_calls"}]}"""), "claude-x"));
        assertThat(out.get("id").asText()).matches("msg_[0-9A-Za-z]{24}");
        assertThat(out.get("content").get(0).get("id").asText()).matches("toolu_[0-9A-Za-z]{24}");
        assertThat(out.get("usage")).isEqualTo(json("""
                {"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}"""));
    }

    @Test
    void reasoningFieldOfNewerServersAndOllamaIsThinkingToo() {
        JsonNode out = map(answer("{\"role\":\"assistant\",\"reasoning\":\"Let me see.\",\"content\":\"42\"}", "\"finish_reason\":\"stop\"", ""));
        assertThat(out.get("content")).isEqualTo(json("""
                [{"type":"thinking","thinking":"Let me see.","signature":""},{"type":"text","text":"42"}]"""));
    }

    @Test
    void deepSeekCacheHitTokensCountAsCacheReads() {
        JsonNode out = map(answer("{\"role\":\"assistant\",\"content\":\"x\"}", "\"finish_reason\":\"stop\"",
                "{\"prompt_tokens\":1000,\"completion_tokens\":7,\"prompt_cache_hit_tokens\":896,\"prompt_cache_miss_tokens\":104}"));
        assertThat(out.get("usage")).isEqualTo(json("""
                {"input_tokens":104,"cache_creation_input_tokens":0,"cache_read_input_tokens":896,"output_tokens":7}"""));
    }

    @Test
    void refusalAndLegacyFunctionCall() {
        JsonNode refusal = map(answer("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with that.\"}",
                "\"finish_reason\":\"content_filter\"", ""));
        assertThat(refusal.get("content")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"I can't help with that.\"}]"));
        assertThat(refusal.get("stop_reason").asText()).isEqualTo("refusal");

        JsonNode legacy = map(answer("{\"role\":\"assistant\",\"content\":null,\"function_call\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":1}\"}}",
                "\"finish_reason\":\"function_call\"", ""));
        assertThat(legacy.get("content").get(0).get("input")).isEqualTo(json("{\"x\":1}"));
        assertThat(legacy.get("content").get(0).get("name").asText()).isEqualTo("f");
    }

    @Test
    void emptyAnswerHasNoBlocks() {
        JsonNode out = map(answer("{\"role\":\"assistant\",\"content\":\"\"}", "\"finish_reason\":\"stop\"", ""));
        assertThat(out.get("content")).isEmpty();
    }

    @Test
    void anAnswerThatIsNotJsonIsAnUpstreamFault() {
        assertThatThrownBy(() -> translation.response(bytes("<html>bad gateway</html>"), "m"))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE));
    }
}
