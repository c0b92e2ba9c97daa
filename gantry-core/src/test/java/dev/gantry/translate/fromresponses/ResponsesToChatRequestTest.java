package dev.gantry.translate.fromresponses;

import static dev.gantry.translate.fromresponses.Golden.tree;
import static dev.gantry.translate.fromresponses.Golden.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Responses requests become Chat Completions requests. */
class ResponsesToChatRequestTest {
    private final ResponsesToChatTranslation translation = new ResponsesToChatTranslation();

    private JsonNode translate(String request) {
        return tree(translation.request(utf8(request), "qwen3-coder"));
    }

    @Test
    void aCodexTurnWithHistoryToolsAndToolOutputs() {
        // instructions and developer text → one system message; the assistant text and the two calls
        // after it → one assistant message, with the reasoning before them as reasoning_content; the
        // image of a call output follows the tool messages; the custom apply_patch and local_shell →
        // functions; web_search dropped
        Golden.assertJson(translation.request(Golden.bytes("request-codex.json"), "qwen3-coder"), "request-codex.chat.json");
    }

    @Test
    void aStringInputWithInstructions() {
        assertThat(translate("""
                {"model":"gpt-5","instructions":"Be brief.","input":"Hi","max_output_tokens":100,"temperature":0.2,
                 "top_p":0.9,"user":"u1","store":false,"metadata":{"a":"b"},"truncation":"auto"}""")).isEqualTo(tree("""
                {"model":"qwen3-coder","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
                 "max_tokens":100,"temperature":0.2,"top_p":0.9,"user":"u1"}"""));
    }

    @Test
    void aStreamAlwaysAsksForUsage() {
        JsonNode out = translate("""
                {"model":"m","input":"Hi","stream":true}""");
        assertThat(out.get("stream").asBoolean()).isTrue();
        assertThat(out.get("stream_options")).isEqualTo(tree("{\"include_usage\":true}"));
    }

    @Test
    void previousResponseIdIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> translate("""
                {"model":"m","input":"and then?","previous_response_id":"resp_123"}"""))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessage("previous_response_id is not supported by this gateway yet: send the whole conversation in 'input'"
                        + " (with store=false).");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_1\"}                                  | 'conversation' is not supported",
        "{\"model\":\"m\",\"input\":\"x\",\"background\":true}                                          | Background responses are not supported",
        "{\"model\":\"m\"}                                                                             | Missing required parameter: 'input'",
        "{\"model\":\"m\",\"input\":42}                                                                | 'input' must be a string or an array",
        "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}                  | item references need stored responses",
        "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"file-1\"}]}]} | images must be given by 'image_url'",
        "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"file-1\"}]}]}  | files must be given inline",
        "{\"model\":\"m\",\"input\":[{\"role\":\"critic\",\"content\":\"x\"}]}                         | 'input[0].role': 'critic'",
        "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]} | needs a 'call_id' and a 'name'",
        "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}             | 'input[0].call_id' is required",
        "{\"model\":\"m\",\"input\":[{\"content\":\"x\"}]}                                              | has no 'type'",
    })
    void whatCannotBeServedIsRefused(String request, String message) {
        assertThatThrownBy(() -> translate(request))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining(message);
    }

    @Test
    void imagesAndFilesInAUserMessageBecomeParts() {
        JsonNode out = translate("""
                {"model":"m","input":[{"role":"user","content":[
                  {"type":"input_text","text":"What is this?"},
                  {"type":"input_image","image_url":"https://example.com/a.png","detail":"low"},
                  {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}]}]}""");
        assertThat(out.get("messages").get(0)).isEqualTo(tree("""
                {"role":"user","content":[
                  {"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
                  {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0x","filename":"a.pdf"}}]}"""));
    }

    @Test
    void aJsonSchemaTextFormatBecomesAResponseFormat() {
        JsonNode out = translate("""
                {"model":"m","input":"A city?","text":{"format":{"type":"json_schema","name":"city","strict":true,
                  "schema":{"type":"object","properties":{"name":{"type":"string"}}}}}}""");
        assertThat(out.get("response_format")).isEqualTo(tree("""
                {"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object","properties":{"name":{"type":"string"}}},
                 "strict":true}}"""));
        assertThat(translate("""
                {"model":"m","input":"x","text":{"format":{"type":"json_object"}}}""").get("response_format"))
                .isEqualTo(tree("{\"type\":\"json_object\"}"));
        assertThat(translate("""
                {"model":"m","input":"x","text":{"format":{"type":"text"}}}""").has("response_format")).isFalse();
    }

    @Test
    void toolChoiceNamesAFunctionAndIsLeftOutWithoutTools() {
        JsonNode named = translate("""
                {"model":"m","input":"x","tools":[{"type":"custom","name":"apply_patch"}],
                 "tool_choice":{"type":"custom","name":"apply_patch"}}""");
        assertThat(named.get("tool_choice")).isEqualTo(tree("{\"type\":\"function\",\"function\":{\"name\":\"apply_patch\"}}"));
        JsonNode hostedOnly = translate("""
                {"model":"m","input":"x","tools":[{"type":"web_search"}],"tool_choice":"required","parallel_tool_calls":true}""");
        assertThat(hostedOnly.has("tools")).isFalse();
        assertThat(hostedOnly.has("tool_choice")).isFalse();
        assertThat(hostedOnly.has("parallel_tool_calls")).isFalse();
    }

    @Test
    void reasoningGoesBackOnlyWithTheToolCallsItLedTo() {
        JsonNode out = translate("""
                {"model":"m","input":[
                  {"role":"user","content":"go"},
                  {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Need the file."}]},
                  {"type":"function_call","call_id":"c1","name":"read","arguments":"{}"},
                  {"type":"function_call_output","call_id":"c1","output":"text"},
                  {"type":"reasoning","id":"rs_2","summary":[],"content":[{"type":"reasoning_text","text":"Done now."}]},
                  {"role":"assistant","content":[{"type":"output_text","text":"It says text."}]},
                  {"role":"user","content":"ok"}]}""");
        JsonNode messages = out.get("messages");
        assertThat(messages.get(1).get("reasoning_content").asText()).isEqualTo("Need the file.");
        assertThat(messages.get(3).has("reasoning_content")).as("a final answer's reasoning is not sent back").isFalse();
    }

    @Test
    void anAssistantTextAfterCallsStartsANewMessage() {
        JsonNode out = translate("""
                {"model":"m","input":[
                  {"role":"user","content":"go"},
                  {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
                  {"type":"function_call_output","call_id":"c1","output":"ok"},
                  {"type":"function_call","call_id":"c2","name":"f","arguments":{"a":1}},
                  {"type":"function_call_output","call_id":"c2","output":{"weird":true}},
                  {"role":"assistant","content":"done"}]}""");
        assertThat(out.get("messages")).isEqualTo(tree("""
                [{"role":"user","content":"go"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"c1","content":"ok"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"c2","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]},
                 {"role":"tool","tool_call_id":"c2","content":"{\\"weird\\":true}"},
                 {"role":"assistant","content":"done"}]"""));
    }
}
