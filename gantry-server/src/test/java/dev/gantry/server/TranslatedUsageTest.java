package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On translated paths usage, cost, keys and errors behave as on passed-through ones. */
class TranslatedUsageTest {
    static GatewayFixture gw;

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    @BeforeEach
    void reset() { gw.sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY).withCachedTokens(4)); }

    @Test
    void anthropicStreamOnAnOpenAiServerRecordsTheUpstreamsReportedUsage() {
        var response = gw.postStreaming("/v1/messages",
                "{\"model\":\"open-model\",\"stream\":true,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
                gw.memberKey);
        List<String> events = response.body().filter(l -> l.startsWith("event: ")).toList();
        assertThat(events.getLast()).isEqualTo("event: message_stop");
        assertThat(gw.sim.lastRequest().path()).isEqualTo("/v1/chat/completions");

        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("estimated").asBoolean()).as("the OpenAI usage chunk was read").isFalse();
        assertThat(row.path("output_tokens").asLong()).isEqualTo(5);
        assertThat(row.path("cached_input_tokens").asLong()).isEqualTo(4);
        assertThat(row.path("served_model").asText()).isEqualTo("open-model");
        assertThat(row.path("cost_usd").decimalValue().signum()).isPositive();
    }

    @Test
    void chatStreamOnAnthropicRecordsInputFromMessageStartAndOutputFromMessageDelta() {
        var response = gw.postStreaming("/v1/chat/completions",
                "{\"model\":\"claude-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", gw.memberKey);
        List<String> data = response.body().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data.getLast()).isEqualTo("data: [DONE]");
        assertThat(gw.sim.lastRequest().path()).isEqualTo("/v1/messages");

        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("estimated").asBoolean()).isFalse();
        assertThat(row.path("output_tokens").asLong()).isEqualTo(5);
        assertThat(row.path("input_tokens").asLong()).isGreaterThan(4);
        assertThat(row.path("cached_input_tokens").asLong()).isEqualTo(4);
    }

    @Test
    void upstreamErrorsComeBackInTheClientsShape() {
        gw.sim.behaviour(gw.sim.behaviour().withStatus(529));
        var openAiClient = gw.post("/v1/chat/completions",
                "{\"model\":\"claude-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", gw.memberKey);
        assertThat(openAiClient.statusCode()).as("529 is Anthropic's own: OpenAI clients get 503").isEqualTo(503);
        assertThat(json(openAiClient.body()).path("error").path("message").asText()).isNotBlank();

        gw.sim.behaviour(gw.sim.behaviour().withStatus(503));
        var anthropicClient = gw.postAnthropic("/v1/messages",
                "{\"model\":\"open-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", gw.memberKey);
        assertThat(anthropicClient.statusCode()).isEqualTo(529);
        assertThat(json(anthropicClient.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
    }

    @Test
    void aCutStreamEndsWithAnErrorEventInTheClientsProtocol() {
        gw.sim.behaviour(gw.sim.behaviour().withChunks(10).withFault(SimBehaviour.Fault.CUT_MID_STREAM).withCutAfterChunks(3));
        var response = gw.postStreaming("/v1/messages",
                "{\"model\":\"open-model\",\"stream\":true,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
                gw.memberKey);
        List<String> lines = response.body().toList();
        assertThat(lines).contains("event: error");
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("outcome").asText()).isEqualTo("stream_cut");
        assertThat(row.path("output_tokens").asLong()).isPositive();
    }

    @Test
    void previousResponseIdIsRefusedClearly() {
        var response = gw.post("/v1/responses", "{\"model\":\"open-model\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}",
                gw.memberKey);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("message").asText()).contains("previous_response_id");
    }
}
