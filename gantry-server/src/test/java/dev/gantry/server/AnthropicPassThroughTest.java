package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Anthropic clients on Anthropic upstreams: Messages API passed through, streaming included. */
class AnthropicPassThroughTest {
    static GatewayFixture gw;

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    @BeforeEach
    void reset() {
        gw.sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
        gw.sim.clearRequests();
    }

    static final String MESSAGE = """
            {"model":"claude-model","max_tokens":256,"system":"Be brief.",
             "messages":[{"role":"user","content":[{"type":"text","text":"Hello there"}]}]}""";

    @Test
    void messageIsPassedThroughWithTheProviderKeyAndUsageIncludesCacheReads() {
        gw.sim.behaviour(gw.sim.behaviour().withCachedTokens(40));
        var response = gw.postAnthropic("/v1/messages", MESSAGE, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.path("type").asText()).isEqualTo("message");
        var upstream = gw.sim.lastRequest();
        assertThat(upstream.path()).isEqualTo("/v1/messages");
        assertThat(upstream.json().path("model").asText()).isEqualTo("claude-upstream-1");
        assertThat(upstream.header("x-api-key")).contains(PROVIDER_KEY);
        assertThat(upstream.header("anthropic-version")).contains("2023-06-01");

        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        long input = body.path("usage").path("input_tokens").asLong();
        assertThat(row.path("input_tokens").asLong()).isEqualTo(input + 40);
        assertThat(row.path("cached_input_tokens").asLong()).isEqualTo(40);
        assertThat(row.path("output_tokens").asLong()).isEqualTo(5);
        // 3 USD/Mtok uncached, 0.30 cached, 15 output
        long expectedNanos = (input * 3_000_000 + 40 * 300_000 + 5 * 15_000_000) / 1_000;
        assertThat(row.path("cost_usd").decimalValue().movePointRight(9).longValueExact()).isEqualTo(expectedNanos);
    }

    @Test
    void defaultAnthropicVersionIsAddedAndBetaFlagsForwarded() {
        var request = HttpRequest.newBuilder(URI.create(gw.url("/v1/messages")))
                .header("x-api-key", gw.memberKey).header("anthropic-beta", "some-future-beta-2027-01-01")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(MESSAGE)).build();
        var response = gw.send(request);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gw.sim.lastRequest().header("anthropic-version")).contains("2023-06-01");
        assertThat(gw.sim.lastRequest().header("anthropic-beta")).contains("some-future-beta-2027-01-01");
    }

    @Test
    void streamRelaysTheAnthropicEventSequenceAndRecordsInputAndOutputTokens() throws Exception {
        var request = HttpRequest.newBuilder(URI.create(gw.url("/v1/messages")))
                .header("x-api-key", gw.memberKey).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MESSAGE.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\""))).build();
        var response = gw.http.send(request, HttpResponse.BodyHandlers.ofLines());

        List<String> events = response.body().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
        assertThat(events.getFirst()).isEqualTo("message_start");
        assertThat(events).contains("content_block_start", "content_block_delta", "content_block_stop", "message_delta");
        assertThat(events.getLast()).isEqualTo("message_stop");

        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("input_tokens").asLong()).isPositive();
        assertThat(row.path("output_tokens").asLong()).isEqualTo(5);
        assertThat(row.path("estimated").asBoolean()).isFalse();
    }

    @Test
    void countTokensIsPassedThroughAndCostsNothing() {
        var response = gw.postAnthropic("/v1/messages/count_tokens", MESSAGE.replace("\"max_tokens\":256,", ""), gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).path("input_tokens").asLong()).isPositive();
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("cost_usd").decimalValue().signum()).isZero();
    }

    @Test
    void anthropicErrorsComeBackInAnthropicsShape() {
        var response = gw.postAnthropic("/v1/messages", "{\"model\":\"nope\",\"max_tokens\":1,\"messages\":[]}", gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = json(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("not_found_error");
        assertThat(body.path("error").path("message").asText()).contains("nope");
    }
}
