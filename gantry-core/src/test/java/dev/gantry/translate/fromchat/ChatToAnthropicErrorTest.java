package dev.gantry.translate.fromchat;

import static dev.gantry.translate.fromchat.Golden.tree;
import static dev.gantry.translate.fromchat.Golden.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Anthropic errors reach OpenAI clients in OpenAI's shape, with statuses they know. */
class ChatToAnthropicErrorTest {
    private final ChatToAnthropicTranslation translation = new ChatToAnthropicTranslation();

    @ParameterizedTest
    @CsvSource({
        "400, invalid_request_error, invalid_request_error,",
        "401, authentication_error, invalid_request_error, invalid_api_key",
        "403, permission_error, permission_error, forbidden",
        "404, not_found_error, invalid_request_error, not_found",
        "413, request_too_large, invalid_request_error, request_too_large",
        "429, rate_limit_error, rate_limit_error, rate_limit_exceeded",
        "500, api_error, server_error,",
        "529, overloaded_error, server_error, overloaded",
    })
    void errorTypes(int status, String anthropicType, String openAiType, String openAiCode) {
        byte[] body = utf8("""
                {"type":"error","error":{"type":"%s","message":"Something"},"request_id":"req_1"}""".formatted(anthropicType));
        String code = openAiCode == null ? "null" : "\"" + openAiCode + "\"";
        assertThat(tree(translation.error(status, body))).isEqualTo(tree("""
                {"error":{"message":"Something","type":"%s","param":null,"code":%s}}""".formatted(openAiType, code)));
    }

    @Test
    void aPromptTooLongIsAContextLengthError() {
        byte[] body = utf8("""
                {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}""");
        assertThat(tree(translation.error(400, body)).at("/error/code").asText()).isEqualTo("context_length_exceeded");
    }

    @Test
    void overloadedIsA503WhichOpenAiClientsRetry() {
        assertThat(translation.errorStatus(529)).isEqualTo(503);
        assertThat(translation.errorStatus(429)).isEqualTo(429);
        assertThat(translation.errorStatus(500)).isEqualTo(500);
    }

    @Test
    void aBodyThatIsNotAnAnthropicErrorIsDescribedByItsStatus() {
        assertThat(tree(translation.error(502, utf8("<html>Bad gateway</html>")))).isEqualTo(tree("""
                {"error":{"message":"The upstream server answered HTTP 502: <html>Bad gateway</html>","type":"server_error",
                          "param":null,"code":null}}"""));
        assertThat(tree(translation.error(429, new byte[0])).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    }
}
