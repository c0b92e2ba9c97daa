package dev.gantry.translate.fromresponses;

import static dev.gantry.translate.fromresponses.Golden.tree;
import static dev.gantry.translate.fromresponses.Golden.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import org.junit.jupiter.api.Test;

/** Chat completions become Responses response objects. */
class ResponsesToChatResponseTest {

    @Test
    void reasoningTextAndCallsOfEveryKind() {
        // reasoning → reasoning item; function, custom (apply_patch) and local-shell calls as their own
        // items; arguments that are not valid JSON passed on as they are; usage with cached and
        // reasoning tokens; the request's parameters echoed
        Golden.assertJson(Fixtures.codexTranslation().response(Golden.bytes("response-tools.chat.json"), "gpt-5-codex"),
                "response-tools.response.json");
    }

    @Test
    void withoutTheRequestEveryCallIsAFunctionCallAndDefaultsAreReported() {
        JsonNode out = tree(Fixtures.translation().response(Golden.bytes("response-tools.chat.json"), "gpt-5-codex"));
        assertThat(out.get("output")).extracting(item -> item.get("type").asText())
                .containsExactly("reasoning", "message", "function_call", "function_call", "function_call", "function_call");
        assertThat(out.get("tools")).isEmpty();
        assertThat(out.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(out.get("store").asBoolean()).isTrue();
    }

    @Test
    void aTextAnswer() {
        JsonNode out = tree(Fixtures.translation().response(utf8("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"x",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}"""), "gpt-5"));
        assertThat(out).isEqualTo(tree("""
                {"id":"resp_1","object":"response","created_at":1750000000,"status":"completed","background":false,"error":null,
                 "incomplete_details":null,"instructions":null,"max_output_tokens":null,"max_tool_calls":null,"model":"gpt-5",
                 "output":[{"id":"msg_2","type":"message","status":"completed",
                            "content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hello!"}],"role":"assistant"}],
                 "parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,
                 "reasoning":{"effort":null,"summary":null},"safety_identifier":null,"service_tier":"default","store":true,
                 "temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[],
                 "top_logprobs":0,"top_p":1.0,"truncation":"disabled",
                 "usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,
                          "output_tokens_details":{"reasoning_tokens":0},"total_tokens":13},
                 "user":null,"metadata":{}}"""));
    }

    @Test
    void lengthMakesTheResponseIncomplete() {
        JsonNode out = tree(Fixtures.translation().response(utf8("""
                {"choices":[{"index":0,"message":{"role":"assistant","content":"Once upon a"},"finish_reason":"length"}]}"""), "m"));
        assertThat(out.get("status").asText()).isEqualTo("incomplete");
        assertThat(out.get("incomplete_details")).isEqualTo(tree("{\"reason\":\"max_output_tokens\"}"));
        assertThat(out.get("output").get(0).get("status").asText()).isEqualTo("incomplete");
        assertThat(out.get("usage").isNull()).as("the upstream reported no usage").isTrue();
    }

    @Test
    void aRefusalIsARefusalPart() {
        JsonNode out = tree(Fixtures.translation().response(utf8("""
                {"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
                 "finish_reason":"stop"}]}"""), "m"));
        assertThat(out.get("output").get(0).get("content")).isEqualTo(tree("""
                [{"type":"refusal","refusal":"I can't help with that."}]"""));
    }

    @Test
    void anAnswerThatIsNotACompletionIsAnUpstreamFailure() {
        assertThatThrownBy(() -> Fixtures.translation().response(utf8("{\"object\":\"list\"}"), "m"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE));
    }
}
