package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenAI clients on OpenAI-compatible upstreams: bytes pass through, model and credentials swapped, usage recorded. */
class OpenAiPassThroughTest {
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

    static final String CHAT = """
            {"model":"open-model","messages":[{"role":"system","content":"Be brief."},
             {"role":"user","content":"Say hello to the gateway"}],"temperature":0.2,"x_vendor_field":{"keep":"me"}}""";

    @Test
    void chatCompletionIsPassedThroughWithTheUpstreamModelAndProviderCredentials() {
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).startsWith("tok0");

        var upstream = gw.sim.lastRequest();
        assertThat(upstream.path()).isEqualTo("/v1/chat/completions");
        assertThat(upstream.json().path("model").asText()).isEqualTo("org/open-model-v1");
        assertThat(upstream.json().path("x_vendor_field").path("keep").asText()).isEqualTo("me");
        assertThat(upstream.json().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(upstream.header("authorization")).contains("Bearer " + PROVIDER_KEY);
        assertThat(upstream.headers().toString()).doesNotContain(gw.memberKey);
    }

    @Test
    void aLongBodyReachesTheUpstreamWholeWhetherItsLengthIsDeclaredOrItComesInChunks() {
        String text = "0123456789abcdef".repeat(2_500) + "-end"; // 40 KB: many reads, past every buffer's first size
        String body = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";

        assertThat(gw.post("/v1/chat/completions", body, gw.memberKey).statusCode()).isEqualTo(200);
        assertThat(gw.sim.lastRequest().json().path("messages").get(0).path("content").asText()).isEqualTo(text);

        var chunked = gw.send(gw.request("/v1/chat/completions", gw.memberKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes()))).build());
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(gw.sim.lastRequest().json().path("messages").get(0).path("content").asText()).isEqualTo(text);
    }

    @Test
    void everyResponseCarriesARequestIdThatFindsItsUsageRow() {
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);
        String requestId = response.headers().firstValue("x-gantry-request-id").orElseThrow();
        JsonNode upstreamUsage = json(response.body()).path("usage");

        JsonNode row = gw.usageRow(requestId);
        assertThat(row.path("model").asText()).isEqualTo("open-model");
        assertThat(row.path("deployment").asText()).isEqualTo("sim-openai/org/open-model-v1");
        assertThat(row.path("input_tokens").asLong()).isEqualTo(upstreamUsage.path("prompt_tokens").asLong()).isPositive();
        assertThat(row.path("output_tokens").asLong()).isEqualTo(upstreamUsage.path("completion_tokens").asLong()).isEqualTo(5);
        assertThat(row.path("estimated").asBoolean()).isFalse();
        assertThat(row.path("status").asInt()).isEqualTo(200);
        assertThat(row.path("outcome").asText()).isEqualTo("ok");
        long expectedNanos = (row.path("input_tokens").asLong() * 140_000 + 5 * 280_000) / 1_000;
        assertThat(row.path("cost_usd").decimalValue().movePointRight(9).longValueExact()).isEqualTo(expectedNanos);
    }

    @Test
    void eventsTheUpstreamSendsApartReachTheClientAsTheyComeNotAtTheEnd() {
        // events that arrive together go out in one write; this guards the other half: no event waits for a later one
        gw.sim.behaviour(gw.sim.behaviour().withChunks(3).withChunkDelayMs(300));
        var response = gw.postStreaming("/v1/chat/completions", CHAT.replace("\"temperature\"", "\"stream\":true,\"temperature\""), gw.memberKey);

        long start = System.nanoTime();
        List<Long> arrivals = response.body().filter(l -> l.startsWith("data: {")).map(l -> (System.nanoTime() - start) / 1_000_000).toList();

        assertThat(arrivals).hasSizeGreaterThanOrEqualTo(3);
        assertThat(arrivals.getLast() - arrivals.getFirst()).as("ms between the first and the last event (sent 600 ms apart)")
                .isGreaterThan(300);
    }

    @Test
    void streamIsRelayedChunkByChunkAndHidesTheUsageChunkTheClientDidNotAskFor() {
        gw.sim.behaviour(gw.sim.behaviour().withChunks(8));
        var response = gw.postStreaming("/v1/chat/completions", CHAT.replace("\"temperature\"", "\"stream\":true,\"temperature\""), gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        List<String> data = response.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(GatewayFixture::json).toList();
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("choices").isEmpty()).as("a chunk without choices: %s", c).isFalse());
        String text = chunks.stream().map(c -> c.path("choices").get(0).path("delta").path("content").asText("")).reduce("", String::concat);
        assertThat(text).isEqualTo("tok0 tok1 tok2 tok3 tok4 tok5 tok6 tok7 ");

        // the gateway asked upstream for usage all the same, and recorded it as reported
        assertThat(gw.sim.lastRequest().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("output_tokens").asLong()).isEqualTo(8);
        assertThat(row.path("estimated").asBoolean()).isFalse();
        assertThat(row.path("stream").asBoolean()).isTrue();
        assertThat(row.path("ttft_ms").isNumber()).isTrue();
    }

    @Test
    void streamKeepsTheUsageChunkWhenTheClientAskedForIt() {
        String body = CHAT.replace("\"temperature\"", "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"temperature\"");
        var response = gw.postStreaming("/v1/chat/completions", body, gw.memberKey);

        List<String> data = response.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        JsonNode usageChunk = json(data.get(data.size() - 2));
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void upstreamWithoutUsageGetsAnEstimateMarkedAsSuch() {
        gw.sim.behaviour(gw.sim.behaviour().withFault(SimBehaviour.Fault.NO_USAGE));
        var response = gw.postStreaming("/v1/chat/completions", CHAT.replace("\"temperature\"", "\"stream\":true,\"temperature\""), gw.memberKey);
        assertThat(response.body().filter(l -> l.startsWith("data: ")).count()).isGreaterThan(5);

        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("estimated").asBoolean()).isTrue();
        assertThat(row.path("input_tokens").asLong()).isPositive();
        assertThat(row.path("output_tokens").asLong()).isPositive();
    }

    @Test
    void embeddingsArePassedThrough() {
        var response = gw.post("/v1/embeddings", "{\"model\":\"embed-model\",\"input\":[\"a\",\"b\"]}", gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).path("data")).hasSize(2);
        assertThat(gw.sim.lastRequest().json().path("model").asText()).isEqualTo("org/embed-v1");
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("input_tokens").asLong()).isPositive();
        assertThat(row.path("output_tokens").asLong()).isZero();
    }

    @Test
    void aWholeAnswerGoesOutWithItsLengthAndOneOverTheHoldLimitStillWhole() {
        var small = gw.post("/v1/chat/completions", CHAT, gw.memberKey);
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.headers().firstValue("content-length")).as("held back, then sent in one piece")
                .contains(Integer.toString(small.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));

        gw.sim.behaviour(gw.sim.behaviour().withEmbeddingDimensions(30_000));
        var large = gw.post("/v1/embeddings", "{\"model\":\"embed-model\",\"input\":[\"a\",\"b\"]}", gw.memberKey);
        assertThat(large.body().length()).as("over the gateway's 256 KB hold limit").isGreaterThan(256 * 1024);
        assertThat(large.headers().firstValue("content-length")).as("streamed from the limit on").isEmpty();
        assertThat(json(large.body()).path("data").get(1).path("embedding")).hasSize(30_000);
        assertThat(gw.usageRow(large.headers().firstValue("x-gantry-request-id").orElseThrow()).path("outcome").asText())
                .isEqualTo("ok");
    }

    @Test
    void modelsListsOnlyWhatTheKeyMayUse() {
        String narrowKey = gw.createKey("{\"name\":\"narrow\",\"models\":[\"open-*\"]}");

        JsonNode all = json(gw.get("/v1/models", gw.memberKey).body());
        JsonNode narrow = json(gw.get("/v1/models", narrowKey).body());

        assertThat(all.path("object").asText()).isEqualTo("list");
        assertThat(all.path("data").findValuesAsText("id")).contains("open-model", "claude-model", "embed-model");
        assertThat(narrow.path("data").findValuesAsText("id")).containsExactly("open-model");
    }

    @Test
    void usageTotalsAreGroupedByKeyModelAndDay() {
        String key = gw.createKey("{\"name\":\"totals\"}");
        String keyId = json(gw.get("/api/v1/keys", ADMIN_KEY).body()).path("data").findParents("name").stream()
                .filter(k -> k.path("name").asText().equals("totals")).findFirst().orElseThrow().path("id").asText();
        String lastId = null;
        for (int i = 0; i < 3; i++) {
            lastId = gw.post("/v1/chat/completions", CHAT, key).headers().firstValue("x-gantry-request-id").orElseThrow();
        }
        gw.usageRow(lastId);

        JsonNode totals = json(gw.get("/api/v1/usage?key_id=" + keyId, ADMIN_KEY).body());
        assertThat(totals.path("data")).hasSize(1);
        JsonNode row = totals.path("data").get(0);
        assertThat(row.path("model").asText()).isEqualTo("open-model");
        assertThat(row.path("requests").asLong()).isEqualTo(3);
        assertThat(row.path("output_tokens").asLong()).isEqualTo(15);
        assertThat(row.path("day").asText()).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
    }
}
