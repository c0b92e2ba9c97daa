package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad client input gets a clear error in the client's own protocol, with the right status. */
class DataPlaneErrorsTest {
    static GatewayFixture gw;

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    static JsonNode openAiError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        return error;
    }

    @Test
    void malformedJson() {
        openAiError(gw.post("/v1/chat/completions", "{\"model\": \"open-model\", \"messages\": [", gw.memberKey), 400, "invalid_json");
        openAiError(gw.post("/v1/chat/completions", "[1,2]", gw.memberKey), 400, "invalid_json");
        openAiError(gw.post("/v1/chat/completions", "{\"model\":\"open-model\"} trailing", gw.memberKey), 400, "invalid_json");
    }

    @Test
    void malformedJsonOnTheAnthropicEndpointAnswersInAnthropicsShape() {
        var response = gw.postAnthropic("/v1/messages", "{not json", gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void missingOrMistypedModel() {
        openAiError(gw.post("/v1/chat/completions", "{\"messages\":[]}", gw.memberKey), 400, "missing_model");
        openAiError(gw.post("/v1/chat/completions", "{\"model\":42,\"messages\":[]}", gw.memberKey), 400, "invalid_request");
    }

    @Test
    void unknownModel() {
        var error = openAiError(gw.post("/v1/chat/completions", "{\"model\":\"gpt-99\",\"messages\":[]}", gw.memberKey), 404, "model_not_found");
        assertThat(error.path("message").asText()).contains("gpt-99");
    }

    @Test
    void modelNotAllowedForTheKey() {
        String narrow = gw.createKey("{\"name\":\"only-embeddings\",\"models\":[\"embed-model\"]}");
        openAiError(gw.post("/v1/chat/completions", "{\"model\":\"open-model\",\"messages\":[]}", narrow), 403, "model_not_allowed");
    }

    @Test
    void missingAndUnknownKeys() {
        String body = "{\"model\":\"open-model\",\"messages\":[]}";
        openAiError(gw.post("/v1/chat/completions", body, null), 401, "missing_api_key");
        openAiError(gw.post("/v1/chat/completions", body, "sk-gantry-not-a-real-key"), 401, "invalid_api_key");
        var anthropic = gw.postAnthropic("/v1/messages", body, "sk-gantry-not-a-real-key");
        assertThat(anthropic.statusCode()).isEqualTo(401);
        assertThat(json(anthropic.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void revokedKeyIsRefusedAtOnce() {
        String key = gw.createKey("{\"name\":\"short-lived\"}");
        String body = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(gw.post("/v1/chat/completions", body, key).statusCode()).isEqualTo(200);
        String id = json(gw.get("/api/v1/keys", ADMIN_KEY).body()).path("data").findParents("name").stream()
                .filter(k -> k.path("name").asText().equals("short-lived")).findFirst().orElseThrow().path("id").asText();

        assertThat(gw.delete("/api/v1/keys/" + id, ADMIN_KEY).statusCode()).isEqualTo(200);

        var error = openAiError(gw.post("/v1/chat/completions", body, key), 401, "invalid_api_key");
        assertThat(error.path("message").asText()).contains("revoked");
    }

    @Test
    void bodyOverTheLimitIsRefusedWith413WhetherItsLengthIsDeclaredOrNot() {
        String huge = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000) + "\"}]}";
        openAiError(gw.post("/v1/chat/completions", huge, gw.memberKey), 413, "request_too_large");

        var chunked = gw.send(gw.request("/v1/chat/completions", gw.memberKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes()))).build());
        openAiError(chunked, 413, "request_too_large");
    }

    @Test
    void wrongMethodAndUnknownPath() {
        openAiError(gw.get("/v1/chat/completions", gw.memberKey), 405, "method_not_allowed");
        openAiError(gw.get("/v2/whatever", gw.memberKey), 404, "not_found");
        var anthropic = gw.send(HttpRequest.newBuilder(URI.create(gw.url("/v1/messages"))).GET().build());
        assertThat(anthropic.statusCode()).isEqualTo(405);
        assertThat(json(anthropic.body()).path("type").asText()).isEqualTo("error");
    }

    @Test
    void aProtocolTheModelsProviderDoesNotSpeakIsExplained() {
        // Anthropic has no embeddings: nothing to translate to
        var error = openAiError(gw.post("/v1/embeddings", "{\"model\":\"claude-model\",\"input\":\"x\"}", gw.memberKey),
                400, "unsupported_protocol");
        assertThat(error.path("message").asText()).contains("anthropic");
    }
}
