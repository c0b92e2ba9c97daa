package dev.gantry.translate.fromresponses;

import static dev.gantry.translate.fromresponses.Golden.tree;
import static dev.gantry.translate.fromresponses.Golden.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Errors of OpenAI-compatible servers reach Responses clients in OpenAI's shape. */
class ResponsesToChatErrorTest {
    private final ResponsesToChatTranslation translation = new ResponsesToChatTranslation();

    @Test
    void openAisOwnShapePassesUnchanged() {
        byte[] body = utf8("""
                {"error":{"message":"Rate limit reached. Please try again in 1.5s.","type":"requests","param":null,"code":"rate_limit_exceeded"}}""");
        assertThat(translation.error(429, body)).isSameAs(body);
        assertThat(translation.errorStatus(429)).isEqualTo(429);
    }

    @Test
    void vllmsShapeIsRewrittenAndAContextErrorGetsOpenAisCode() {
        byte[] body = utf8("""
                {"object":"error","message":"This model's maximum context length is 32768 tokens. However, you requested 40000 tokens.",
                 "type":"BadRequestError","param":null,"code":400}""");
        assertThat(tree(translation.error(400, body))).isEqualTo(tree("""
                {"error":{"message":"This model's maximum context length is 32768 tokens. However, you requested 40000 tokens.",
                 "type":"invalid_request_error","param":null,"code":"context_length_exceeded"}}"""));
    }

    @Test
    void ollamasShapeAndBodiesThatAreNotJson() {
        assertThat(tree(translation.error(404, utf8("{\"error\":\"model 'qwen3' not found\"}")))).isEqualTo(tree("""
                {"error":{"message":"model 'qwen3' not found","type":"not_found_error","param":null,"code":null}}"""));
        assertThat(tree(translation.error(503, utf8("upstream connect error")))).isEqualTo(tree("""
                {"error":{"message":"The upstream server answered HTTP 503: upstream connect error","type":"server_error",
                 "param":null,"code":null}}"""));
    }
}
