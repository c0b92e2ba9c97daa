package dev.gantry.translate.fromchat;

import static dev.gantry.translate.fromchat.Golden.tree;
import static dev.gantry.translate.fromchat.Golden.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Chat Completions requests become Anthropic Messages requests that Anthropic accepts. */
class ChatToAnthropicRequestTest {
    private final ChatToAnthropicTranslation translation = new ChatToAnthropicTranslation();

    private JsonNode translate(String chatRequest, String upstreamModel) {
        return tree(translation.request(utf8(chatRequest), upstreamModel));
    }

    private JsonNode translate(String chatRequest) {
        return translate(chatRequest, "claude-sonnet-4-5");
    }

    @Test
    void aConversationWithImagesToolCallsAndToolResults() {
        // system+developer joined; the two user turns merged; tool results grouped in one user turn,
        // the follow-up text after them; ids sanitized the same on tool_use and tool_result; invalid
        // arguments kept as text, blank ones as {}; the custom tool, seed, logprobs and penalties dropped
        Golden.assertJson(translation.request(Golden.bytes("request-conversation.json"), "claude-sonnet-4-5-20250929"),
                "request-conversation.anthropic.json");
    }

    @Test
    void aPlainRequestGetsTheDefaultsAnthropicRequires() {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}]}""");
        assertThat(out).isEqualTo(tree("""
                {"model":"claude-sonnet-4-5","max_tokens":32000,
                 "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}"""));
    }

    @ParameterizedTest
    @CsvSource({
        "claude-3-haiku-20240307, 4096",
        "claude-3-5-sonnet-20241022, 8192",
        "claude-3-5-haiku-latest, 8192",
        "claude-3-7-sonnet-20250219, 32000",
        "claude-opus-4-1-20250805, 32000",
        "anthropic.claude-sonnet-4-20250514-v1:0, 32000",
        "deepseek-chat, 4096",
    })
    void maxTokensDefaultsToWhatEveryModelOfTheGenerationAccepts(String model, int expected) {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}]}""", model);
        assertThat(out.get("max_tokens").asInt()).isEqualTo(expected);
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        assertThat(translate("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""").get("max_tokens").asInt()).isEqualTo(10);
        assertThat(translate("""
                {"model":"m","max_tokens":10,"max_completion_tokens":20,"messages":[{"role":"user","content":"Hi"}]}""")
                .get("max_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void consecutiveToolResultsFormOneUserTurnThatAlternatesWithTheAssistant() {
        JsonNode out = translate("""
                {"model":"m","messages":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"w","arguments":"{\\"c\\":\\"Paris\\"}"}},
                    {"id":"call_2","type":"function","function":{"name":"w","arguments":"{\\"c\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"sunny"},
                  {"role":"tool","tool_call_id":"call_2","content":"rain"}]}""");
        JsonNode messages = out.get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1)).isEqualTo(tree("""
                {"role":"assistant","content":[
                  {"type":"tool_use","id":"call_1","name":"w","input":{"c":"Paris"}},
                  {"type":"tool_use","id":"call_2","name":"w","input":{"c":"Rome"}}]}"""));
        assertThat(messages.get(2)).isEqualTo(tree("""
                {"role":"user","content":[
                  {"type":"tool_result","tool_use_id":"call_1","content":"sunny"},
                  {"type":"tool_result","tool_use_id":"call_2","content":"rain"}]}"""));
    }

    @Test
    void toolResultsComeFirstInAMergedUserTurn() {
        JsonNode out = translate("""
                {"model":"m","messages":[
                  {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]},
                  {"role":"user","content":"(before the result, by mistake)"},
                  {"role":"tool","tool_call_id":"c1","content":"ok"}]}""");
        JsonNode user = out.get("messages").get(1);
        assertThat(user.get("content").get(0).get("type").asText()).isEqualTo("tool_result");
        assertThat(user.get("content").get(1).get("type").asText()).isEqualTo("text");
    }

    @Test
    void emptyMessagesAreDroppedAndTheNeighboursMerged() {
        JsonNode out = translate("""
                {"model":"m","messages":[
                  {"role":"user","content":"one"},
                  {"role":"assistant","content":""},
                  {"role":"user","content":"two"}]}""");
        assertThat(out.get("messages")).isEqualTo(tree("""
                [{"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]}]"""));
    }

    @Test
    void toolArgumentsThatAreNotAJsonObjectNeverFailTheRequest() {
        assertThat(ToolArguments.toInput(tree("\"{\\\"a\\\":1}\""))).isEqualTo(tree("{\"a\":1}"));
        assertThat(ToolArguments.toInput(tree("\"\""))).isEqualTo(tree("{}"));
        assertThat(ToolArguments.toInput(null)).isEqualTo(tree("{}"));
        assertThat(ToolArguments.toInput(tree("\"{\\\"a\\\": tru\""))).isEqualTo(tree("{\"raw_arguments\":\"{\\\"a\\\": tru\"}"));
        assertThat(ToolArguments.toInput(tree("\"[1,2]\""))).isEqualTo(tree("{\"raw_arguments\":\"[1,2]\"}"));
        assertThat(ToolArguments.toInput(tree("\"{} trailing\""))).isEqualTo(tree("{\"raw_arguments\":\"{} trailing\"}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\"auto\"                                        | {\"type\":\"auto\"}",
        "\"required\"                                    | {\"type\":\"any\"}",
        "\"none\"                                        | {\"type\":\"none\"}",
        "{\"type\":\"function\",\"function\":{\"name\":\"w\"}} | {\"type\":\"tool\",\"name\":\"w\"}",
    })
    void toolChoice(String chat, String anthropic) {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"w","parameters":{"type":"object","properties":{}}}}],
                 "tool_choice":%s}""".formatted(chat));
        assertThat(out.get("tool_choice")).isEqualTo(tree(anthropic));
    }

    @Test
    void parallelToolCallsFalseDisablesParallelToolUse() {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"w"}}]}""");
        assertThat(out.get("tool_choice")).isEqualTo(tree("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
        assertThat(out.get("tools").get(0)).isEqualTo(tree("""
                {"name":"w","input_schema":{"type":"object","properties":{}}}"""));
    }

    @Test
    void toolChoiceWithoutToolsIsLeftOut() {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"tool_choice":"auto","parallel_tool_calls":false}""");
        assertThat(out.has("tool_choice")).isFalse();
        assertThat(out.has("tools")).isFalse();
    }

    @Test
    void stopTemperatureAndUser() {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"stop":"###","temperature":0.3,"top_p":0.5,
                 "safety_identifier":"hash-1"}""", "claude-3-5-haiku-latest");
        assertThat(out.get("stop_sequences")).isEqualTo(tree("[\"###\"]"));
        assertThat(out.get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(out.get("top_p").asDouble()).isEqualTo(0.5);
        assertThat(out.get("metadata")).isEqualTo(tree("{\"user_id\":\"hash-1\"}"));
        assertThat(out.has("stream")).isFalse();
    }

    @Test
    void newerModelsGetTemperatureOrTopPNotBoth() {
        String both = """
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"temperature":0.3,"top_p":0.5}""";
        JsonNode newer = translate(both, "claude-sonnet-4-5");
        assertThat(newer.get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(newer.has("top_p")).isFalse();
        assertThat(translate(both, "claude-3-7-sonnet-20250219").get("top_p").asDouble()).isEqualTo(0.5);
        assertThat(translate(both.replace("\"temperature\":0.3,", ""), "claude-opus-4-1").get("top_p").asDouble()).isEqualTo(0.5);
    }

    @Test
    void aJsonSchemaResponseFormatIsAnsweredThroughAForcedTool() {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"A city?"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,
                   "schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}}""");
        assertThat(out.get("tools").get(0).get("name").asText()).isEqualTo(ChatRequestMapper.JSON_TOOL);
        assertThat(out.get("tools").get(0).get("input_schema")).isEqualTo(tree("""
                {"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"""));
        assertThat(out.get("tool_choice")).isEqualTo(tree("{\"type\":\"tool\",\"name\":\"structured_response\"}"));
    }

    @Test
    void reasoningEffortBecomesABudgetOnModelsThatTakeOne() {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"Prove it."}],"reasoning_effort":"medium","temperature":0.2}""",
                "claude-sonnet-4-5");
        assertThat(out.get("thinking")).isEqualTo(tree("{\"type\":\"enabled\",\"budget_tokens\":8192}"));
        assertThat(out.has("temperature")).as("thinking takes no temperature").isFalse();
    }

    @Test
    void theBudgetLeavesRoomForTheAnswerOrThinkingStaysOff() {
        JsonNode small = translate("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"high","max_tokens":4096}""",
                "claude-3-7-sonnet-20250219");
        assertThat(small.get("thinking")).isEqualTo(tree("{\"type\":\"enabled\",\"budget_tokens\":3072}"));
        JsonNode tiny = translate("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"high","max_tokens":1500}""",
                "claude-3-7-sonnet-20250219");
        assertThat(tiny.has("thinking")).isFalse();
    }

    @Test
    void reasoningEffortBecomesAdaptiveThinkingOnModelsThatOnlyTakeThat() {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"xhigh"}""", "claude-opus-4-7");
        assertThat(out.get("thinking")).isEqualTo(tree("{\"type\":\"adaptive\"}"));
        assertThat(out.get("output_config")).isEqualTo(tree("{\"effort\":\"high\"}"));
    }

    @Test
    void thinkingStaysOffWhereItWouldBreakTheRequest() {
        String midToolLoop = """
                {"model":"m","reasoning_effort":"high","messages":[
                  {"role":"user","content":"x"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"t","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c","content":"done"}]}""";
        assertThat(translate(midToolLoop).has("thinking")).as("Chat clients cannot send the signed thinking block back").isFalse();
        String forcedTool = """
                {"model":"m","reasoning_effort":"high","messages":[{"role":"user","content":"x"}],
                 "tools":[{"type":"function","function":{"name":"t"}}],"tool_choice":"required"}""";
        assertThat(translate(forcedTool).has("thinking")).isFalse();
        String oldModel = """
                {"model":"m","reasoning_effort":"high","messages":[{"role":"user","content":"x"}]}""";
        assertThat(translate(oldModel, "claude-3-5-sonnet-20241022").has("thinking")).isFalse();
        assertThat(translate(oldModel, "glm-4.6").has("thinking")).isFalse();
        assertThat(translate(oldModel.replace("high", "minimal")).has("thinking")).isFalse();
    }

    @Test
    void aPdfFileBecomesADocument() {
        JsonNode out = translate("""
                {"model":"m","messages":[{"role":"user","content":[
                  {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}},
                  {"type":"text","text":"Summarize","cache_control":{"type":"ephemeral"}}]}]}""");
        assertThat(out.get("messages").get(0).get("content")).isEqualTo(tree("""
                [{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"},"title":"a.pdf"},
                 {"type":"text","text":"Summarize","cache_control":{"type":"ephemeral"}}]"""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"model\":\"m\",\"messages\":\"hi\"}                                        | 'messages' must be an array",
        "{\"model\":\"m\",\"messages\":[]}                                            | at least one message",
        "{\"model\":\"m\"}                                                           | 'messages' must be an array",
        "{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}   | 'n' must be 1",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}         | 'messages[0].role': 'robot'",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}          | tool_call_id' is required",
        "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | Invalid 'max_tokens'",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"file-1\"}}]}]} | uploaded file ids are not supported",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png,xyz\"}}]}]} | base64-encoded",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]} | audio input is not supported",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]} | Invalid content part type 'video'",
        "{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\"}}],\"tool_choice\":\"always\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | Invalid value for 'tool_choice'",
    })
    void whatOpenAiWouldRefuseIsRefused(String request, String message) {
        assertThatThrownBy(() -> translation.request(utf8(request), "claude-sonnet-4-5"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining(message);
    }
}
