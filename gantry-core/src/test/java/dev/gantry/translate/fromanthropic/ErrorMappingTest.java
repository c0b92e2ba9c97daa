package dev.gantry.translate.fromanthropic;

import static dev.gantry.translate.fromanthropic.Fixtures.bytes;
import static dev.gantry.translate.fromanthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappingTest {
    private final AnthropicToChatTranslation translation = new AnthropicToChatTranslation();

    private JsonNode error(int status, String body) {
        return json(translation.error(status, body == null ? new byte[0] : bytes(body)));
    }

    @ParameterizedTest
    @CsvSource({
            "400, 400, invalid_request_error",
            "401, 401, authentication_error",
            "402, 402, billing_error",
            "403, 403, permission_error",
            "404, 404, not_found_error",
            "408, 408, invalid_request_error",
            "413, 413, request_too_large",
            "422, 422, invalid_request_error",
            "429, 429, rate_limit_error",
            "500, 500, api_error",
            "502, 502, api_error",
            "503, 529, overloaded_error",
            "504, 504, timeout_error",
            "529, 529, overloaded_error",
    })
    void statusesKeepTheirMeaningInAnthropicTerms(int upstream, int client, String type) {
        assertThat(translation.errorStatus(upstream)).isEqualTo(client);
        JsonNode body = error(upstream, "{\"error\":{\"message\":\"boom\",\"type\":\"x\",\"param\":null,\"code\":null}}");
        assertThat(body).isEqualTo(json("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"boom\"}}"));
    }

    @Test
    void upstreamMessageIsFoundInEveryShapeSeenInTheField() {
        assertThat(error(404, "{\"error\":{\"message\":\"The model `x` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}}")
                .at("/error/message").asText()).isEqualTo("The model `x` does not exist.");
        assertThat(error(400, "{\"object\":\"error\",\"message\":\"bad temperature\",\"type\":\"BadRequestError\",\"code\":400}")
                .at("/error/message").asText()).isEqualTo("bad temperature");
        assertThat(error(404, "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}")
                .at("/error/message").asText()).isEqualTo("model \"llama9\" not found, try pulling it first");
        assertThat(error(401, "{\"detail\":\"Unauthorized\"}").at("/error/message").asText()).isEqualTo("Unauthorized");
        assertThat(error(422, "{\"detail\":[{\"loc\":[\"body\",\"messages\"],\"msg\":\"Field required\"},{\"msg\":\"Bad thing\"}]}")
                .at("/error/message").asText()).isEqualTo("Field required; Bad thing");
    }

    @Test
    void bodiesThatAreNotJsonAreHandled() {
        assertThat(error(502, "upstream connect error or disconnect/reset before headers"))
                .isEqualTo(json("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream connect error or disconnect/reset before headers\"}}"));
        assertThat(error(503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"))
                .isEqualTo(json("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"The upstream model server answered HTTP 503.\"}}"));
        assertThat(error(500, null).at("/error/message").asText()).isEqualTo("The upstream model server answered HTTP 500.");
        assertThat(error(500, "{\"error\":{}}").at("/error/message").asText()).isEqualTo("The upstream model server answered HTTP 500.");
        assertThat(error(500, "x".repeat(5000)).at("/error/message").asText()).hasSize(2001);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            // vLLM V1
            "This model's maximum context length is 32768 tokens. However, you requested 8192 output tokens and your prompt contains at least 24577 input tokens, for a total of at least 32769 tokens. Please reduce the length of the input prompt or the number of requested output tokens. (parameter=input_tokens, value=24577)"
                    + " | input length and `max_tokens` exceed context limit: 24577 + 8192 > 32768, decrease input length or `max_tokens` and try again",
            "This model's maximum context length is 40960 tokens. However, you requested 0 output tokens and your prompt contains at least 40961 input tokens, for a total of at least 40961 tokens."
                    + " | prompt is too long: 40961 tokens > 40960 maximum",
            // vLLM 0.6-0.9
            "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context length is 4096 tokens and your request has 2778 input tokens (8000 > 4096 - 2778). None"
                    + " | input length and `max_tokens` exceed context limit: 2778 + 8000 > 4096, decrease input length or `max_tokens` and try again",
            "This model's maximum context length is 1536 tokens. However, your request has 4176 input tokens. Please reduce the length of the input messages."
                    + " | prompt is too long: 4176 tokens > 1536 maximum",
            // older vLLM
            "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion."
                    + " | input length and `max_tokens` exceed context limit: 4000 + 1000 > 4096, decrease input length or `max_tokens` and try again",
            // OpenAI
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages."
                    + " | prompt is too long: 130000 tokens > 128000 maximum",
            // OpenRouter
            "This endpoint's maximum context length is 32768 tokens. However, you requested about 37623 tokens (21239 of text input, 16384 in the output). Please reduce the length."
                    + " | input length and `max_tokens` exceed context limit: 21239 + 16384 > 32768, decrease input length or `max_tokens` and try again",
            // SGLang
            "Requested token count exceeds the model's maximum context length of 4096 tokens. You requested a total of 5000 tokens: 4000 tokens from the input messages and 1000 tokens for the completion. Please reduce the number of tokens in the input messages or the completion to fit within the limit."
                    + " | input length and `max_tokens` exceed context limit: 4000 + 1000 > 4096, decrease input length or `max_tokens` and try again",
            "The input (345516 tokens) is longer than the model's context length (262144 tokens)."
                    + " | prompt is too long: 345516 tokens > 262144 maximum",
            // llama.cpp
            "request (4476 tokens) exceeds the available context size (4096 tokens)"
                    + " | prompt is too long: 4476 tokens > 4096 maximum",
            // anything else is left alone
            "temperature must be non-negative | temperature must be non-negative",
    })
    void contextWindowErrorsTakeAnthropicsWordingWhichClaudeCodeActsOn(String upstream, String anthropic) {
        String body = "{\"error\":{\"message\":" + Fixtures.JSON.getNodeFactory().textNode(upstream) + ",\"type\":\"BadRequestError\",\"code\":400}}";
        assertThat(error(400, body)).isEqualTo(json("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":"
                + Fixtures.JSON.getNodeFactory().textNode(anthropic) + "}}"));
    }

    @Test
    void serverErrorsAreNotReworded() {
        String message = "This model's maximum context length is 1536 tokens. However, your request has 4176 input tokens.";
        assertThat(error(500, "{\"error\":{\"message\":\"" + message + "\"}}").at("/error/message").asText()).isEqualTo(message);
    }
}
