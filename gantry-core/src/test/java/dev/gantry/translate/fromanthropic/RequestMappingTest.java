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

class RequestMappingTest {
    private final AnthropicToChatTranslation translation = new AnthropicToChatTranslation();

    private JsonNode map(String anthropic) {
        return json(translation.request(bytes(anthropic), "up-model"));
    }

    private static String body(String messages, String extra) {
        return "{\"model\":\"claude\",\"max_tokens\":100," + extra + (extra.isEmpty() ? "" : ",") + "\"messages\":" + messages + "}";
    }

    @Test
    void claudeCodeSessionWithToolRoundTripsMapsToChatMessages() {
        byte[] chat = translation.request(resource("request-claude-code.anthropic.json"), "deepseek-ai/DeepSeek-V4-Flash");
        assertThat(json(chat)).isEqualTo(json(resource("request-claude-code.chat.json")));
    }

    @Test
    void systemStringBecomesLeadingSystemMessageWithoutBillingLine() {
        JsonNode out = map("{\"max_tokens\":5,\"system\":\"x-anthropic-billing-header: cc_version=1; cch=abc;\\nBe brief.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(out.get("messages")).isEqualTo(json("""
                [{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]"""));
        assertThat(out.get("model").asText()).isEqualTo("up-model");
        assertThat(out.has("stream")).isFalse();
        assertThat(out.has("stream_options")).isFalse();
    }

    @Test
    void imagesBecomeImageUrlParts() {
        JsonNode out = map(body("""
                [{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}},
                  {"type":"image","source":{"type":"file","file_id":"file_011"}},
                  {"type":"text","text":"What are these?"}]}]""", ""));
        assertThat(out.get("messages")).isEqualTo(json("""
                [{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}},
                  {"type":"text","text":"What are these?"}]}]"""));
    }

    @Test
    void imageInToolResultMovesToFollowingUserMessage() {
        JsonNode out = map(body("""
                [{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Read","input":{"file_path":"a.png"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[
                   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}]},
                   {"type":"text","text":"Describe it."}]}]""", ""));
        assertThat(out.get("messages")).isEqualTo(json("""
                [{"role":"assistant","content":"","tool_calls":[{"id":"t1","type":"function",
                   "function":{"name":"Read","arguments":"{\\"file_path\\":\\"a.png\\"}"}}]},
                 {"role":"tool","tool_call_id":"t1","content":"[image 1 follows in the next message]"},
                 {"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}},
                                           {"type":"text","text":"Describe it."}]}]"""));
    }

    @Test
    void toolResultsComeFirstAndInOrderEvenWhenTextPrecedesThem() {
        JsonNode out = map(body("""
                [{"role":"user","content":[
                   {"type":"text","text":"Here you go."},
                   {"type":"tool_result","tool_use_id":"a","content":"one"},
                   {"type":"tool_result","tool_use_id":"b","content":[],"is_error":true},
                   {"type":"tool_result","tool_use_id":"c"}]}]""", ""));
        assertThat(out.get("messages")).isEqualTo(json("""
                [{"role":"tool","tool_call_id":"a","content":"one"},
                 {"role":"tool","tool_call_id":"b","content":"Error: "},
                 {"role":"tool","tool_call_id":"c","content":""},
                 {"role":"user","content":"Here you go."}]"""));
    }

    @Test
    void thinkingOnlyTurnsAndThinkingOfPlainAnswersAreDropped() {
        JsonNode out = map(body("""
                [{"role":"user","content":"a"},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"s"},{"type":"text","text":"b"}]},
                 {"role":"user","content":"c"},
                 {"role":"assistant","content":[{"type":"redacted_thinking","data":"xyz"}]},
                 {"role":"user","content":"d"}]""", ""));
        assertThat(out.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"},
                 {"role":"user","content":"d"}]"""));
    }

    @Test
    void documentsAndUnknownBlocksCarryTheirTextOrAreDropped() {
        JsonNode out = map(body("""
                [{"role":"user","content":[
                   {"type":"document","title":"Notes","source":{"type":"text","media_type":"text/plain","data":"Line 1"}},
                   {"type":"document","source":{"type":"content","content":[{"type":"text","text":"Part A"},{"type":"text","text":"Part B"}]}},
                   {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBER"}},
                   {"type":"search_result","title":"Docs","source":"https://x","content":[{"type":"text","text":"Result"}]},
                   {"type":"future_block","text":"future text"},
                   {"type":"container_upload","file_id":"f1"}]},
                 {"role":"assistant","content":[
                   {"type":"server_tool_use","id":"srv","name":"web_search","input":{"query":"q"}},
                   {"type":"web_search_tool_result","tool_use_id":"srv","content":[]},
                   {"type":"text","text":"Found it."}]}]""", ""));
        assertThat(out.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"Notes\\n\\nLine 1\\nPart A\\nPart B\\nDocs\\n\\nResult\\nfuture text"},
                 {"role":"assistant","content":"Found it."}]"""));
    }

    @Test
    void samplingParametersStopSequencesAndUserArePassedOn() {
        JsonNode out = map(body("[{\"role\":\"user\",\"content\":\"x\"}]",
                "\"temperature\":0.2,\"top_p\":0.9,\"top_k\":40,\"stop_sequences\":[\"###\",\"END\"],"
                        + "\"metadata\":{\"user_id\":\"u-1\"},\"stream\":false,\"service_tier\":\"auto\""));
        assertThat(out).isEqualTo(json("""
                {"model":"up-model","messages":[{"role":"user","content":"x"}],"max_tokens":100,
                 "temperature":0.2,"top_p":0.9,"top_k":40,"stop":["###","END"],"user":"u-1"}"""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"type\":\"auto\"}                                   | \"auto\"                                             | ",
            "{\"type\":\"any\"}                                    | \"required\"                                         | ",
            "{\"type\":\"none\"}                                   | \"none\"                                             | ",
            "{\"type\":\"tool\",\"name\":\"f\"}                    | {\"type\":\"function\",\"function\":{\"name\":\"f\"}} | ",
            "{\"type\":\"auto\",\"disable_parallel_tool_use\":true} | \"auto\"                                             | false",
            "{\"type\":\"any\",\"disable_parallel_tool_use\":true}  | \"required\"                                         | false",
    })
    void toolChoiceMapsToOpenAiForm(String anthropic, String chat, Boolean parallel) {
        JsonNode out = map(body("[{\"role\":\"user\",\"content\":\"x\"}]",
                "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":" + anthropic));
        assertThat(out.get("tool_choice")).isEqualTo(json(chat));
        if (parallel == null) assertThat(out.has("parallel_tool_calls")).isFalse();
        else assertThat(out.get("parallel_tool_calls").asBoolean()).isEqualTo(parallel);
    }

    @Test
    void withOnlyServerToolsNeitherToolsNorToolChoiceAreSent() {
        JsonNode out = map(body("[{\"role\":\"user\",\"content\":\"x\"}]",
                "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"},{\"type\":\"text_editor_20250728\",\"name\":\"str_replace_based_edit_tool\"}],"
                        + "\"tool_choice\":{\"type\":\"any\"}"));
        assertThat(out.has("tools")).isFalse();
        assertThat(out.has("tool_choice")).isFalse();
    }

    @Test
    void customTypedToolAndToolWithoutSchemaAreKept() {
        JsonNode out = map(body("[{\"role\":\"user\",\"content\":\"x\"}]",
                "\"tools\":[{\"type\":\"custom\",\"name\":\"a\",\"input_schema\":{\"type\":\"object\",\"properties\":{}}},{\"name\":\"b\"}]"));
        assertThat(out.get("tools")).isEqualTo(json("""
                [{"type":"function","function":{"name":"a","parameters":{"type":"object","properties":{}}}},
                 {"type":"function","function":{"name":"b","parameters":{"type":"object","properties":{}}}}]"""));
    }

    @Test
    void streamingAlwaysAsksForUsage() {
        JsonNode out = map(body("[{\"role\":\"user\",\"content\":\"x\"}]", "\"stream\":true"));
        assertThat(out.get("stream").asBoolean()).isTrue();
        assertThat(out.get("stream_options")).isEqualTo(json("{\"include_usage\":true}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}                         | max_tokens: Field required",
            "{\"max_tokens\":null,\"messages\":[]}                                          | max_tokens: Field required",
            "{\"max_tokens\":\"many\",\"messages\":[]}                                      | max_tokens: Input should be a valid integer",
            "{\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}         | max_tokens: Input should be greater than or equal to 1",
            "{\"max_tokens\":10}                                                           | messages: Input should be a valid list",
            "{\"max_tokens\":10,\"messages\":{\"role\":\"user\"}}                           | messages: Input should be a valid list",
            "{\"max_tokens\":10,\"messages\":[]}                                            | messages: at least one message is required",
            "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"system\",\"content\":\"y\"}]} | messages.1.role: Input should be 'user' or 'assistant'",
            "{\"max_tokens\":10,\"messages\":[{\"content\":\"y\"}]}                         | messages.0.role: Input should be 'user' or 'assistant'",
            "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\"}]}                         | messages.0.content: Field required",
            "{\"max_tokens\":10,\"messages\":[\"hello\"]}                                   | messages.0: Input should be a valid dictionary",
    })
    void rejectsWhatAnthropicRejects(String request, String message) {
        assertThatThrownBy(() -> translation.request(bytes(request), "m"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void wholeNumberMaxTokensAsFloatIsAccepted() {
        JsonNode out = map("{\"max_tokens\":1024.0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(out.get("max_tokens").asLong()).isEqualTo(1024);
        assertThat(out.get("max_tokens").isIntegralNumber()).isTrue();
    }
}
