package dev.gantry.translate.fromchat;

import static dev.gantry.translate.fromchat.Golden.tree;
import static dev.gantry.translate.fromchat.Golden.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Anthropic messages become chat.completion objects. */
class ChatToAnthropicResponseTest {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_750_000_000L), ZoneOffset.UTC);
    private final ChatToAnthropicTranslation translation = new ChatToAnthropicTranslation(CLOCK, false);

    private JsonNode translate(String anthropicMessage) {
        return tree(translation.response(utf8(anthropicMessage), "claude-sonnet"));
    }

    @Test
    void thinkingTextAndToolUse() {
        // thinking → reasoning_content; text blocks joined; tool inputs as JSON strings; cache reads
        // and writes counted in prompt_tokens, reads reported as cached
        Golden.assertJson(translation.response(Golden.bytes("response-tools.anthropic.json"), "claude-sonnet"),
                "response-tools.chat.json");
    }

    @Test
    void aTextAnswer() {
        JsonNode out = translate("""
                {"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hello!"}],
                 "stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":3}}""");
        assertThat(out).isEqualTo(tree("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1750000000,"model":"claude-sonnet",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":0}}}"""));
    }

    @ParameterizedTest
    @CsvSource({
        "end_turn, stop",
        "stop_sequence, stop",
        "max_tokens, length",
        "model_context_window_exceeded, length",
        "refusal, content_filter",
        "pause_turn, stop",
        "tool_use, stop",
    })
    void stopReasons(String stopReason, String finishReason) {
        JsonNode out = translate("""
                {"id":"msg_1","content":[{"type":"text","text":"x"}],"stop_reason":"%s","usage":{}}""".formatted(stopReason));
        assertThat(out.get("choices").get(0).get("finish_reason").asText()).isEqualTo(finishReason);
    }

    @Test
    void theStructuredOutputToolAnswersAsText() {
        JsonNode out = translate("""
                {"id":"msg_1","content":[{"type":"tool_use","id":"toolu_1","name":"structured_response","input":{"name":"Oslo"}}],
                 "stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}""");
        JsonNode choice = out.get("choices").get(0);
        assertThat(choice.get("message").get("content").asText()).isEqualTo("{\"name\":\"Oslo\"}");
        assertThat(choice.get("message").has("tool_calls")).isFalse();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void anAnswerThatIsNotAMessageIsAnUpstreamFailure() {
        assertThatThrownBy(() -> translation.response(utf8("<html>oops</html>"), "m"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE));
        assertThatThrownBy(() -> translation.response(utf8("{\"id\":\"msg_1\"}"), "m"))
                .isInstanceOf(GatewayException.class);
    }
}
