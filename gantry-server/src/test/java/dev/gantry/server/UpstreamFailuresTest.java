package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.SimBehaviour.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a client sees when the upstream fails: before the answer, an error status; during a stream, an error event. */
class UpstreamFailuresTest {
    static GatewayFixture gw;
    static final String CHAT = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String STREAM = "{\"model\":\"open-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    @BeforeEach
    void reset() { gw.sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY)); }

    @Test
    void unreachableUpstreamIs502() {
        var response = gw.post("/v1/chat/completions", CHAT.replace("open-model", "dead-model"), gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response.body()).path("error").path("code").asText()).isEqualTo("upstream_unreachable");
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("outcome").asText()).isEqualTo("error");
        assertThat(row.path("status").asInt()).isEqualTo(502);
    }

    @Test
    void upstreamThatClosesWithoutAnsweringIs502() {
        gw.sim.behaviour(gw.sim.behaviour().withFault(Fault.RESET_BEFORE_RESPONSE));
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response.body()).path("error").path("code").asText()).isEqualTo("upstream_unreachable");
    }

    @Test
    void upstreamTooSlowToAnswerIs504() {
        gw.sim.behaviour(gw.sim.behaviour().withLatencyMs(4_000)); // the provider's first-token timeout is 1.5 s
        long start = System.nanoTime();
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response.body()).path("error").path("code").asText()).isEqualTo("upstream_timeout");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_500);
    }

    @Test
    void upstreamErrorStatusesArePassedOnFaithfully() {
        gw.sim.behaviour(gw.sim.behaviour().withStatus(429, 7));
        var response = gw.post("/v1/chat/completions", CHAT.replace("open-model", "limited-model"), gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("7");
        assertThat(json(response.body()).path("error").path("type").asText()).isNotBlank();
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("status").asInt()).isEqualTo(429);
        assertThat(row.path("outcome").asText()).isEqualTo("error");
    }

    @Test
    void anthropicOverloadIsPassedOnInAnthropicsShape() {
        gw.sim.behaviour(gw.sim.behaviour().withStatus(529));
        var response = gw.postAnthropic("/v1/messages",
                "{\"model\":\"claude-model\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(529);
        assertThat(json(response.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
    }

    @Test
    void streamCutHalfWayEndsWithAnErrorEventAndIsStillRecorded() {
        gw.sim.behaviour(gw.sim.behaviour().withChunks(10).withFault(Fault.CUT_MID_STREAM).withCutAfterChunks(4));
        var response = gw.postStreaming("/v1/chat/completions", STREAM, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = response.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        JsonNode last = json(data.getLast());
        assertThat(last.path("error").path("code").asText()).isEqualTo("upstream_stream_cut");
        assertThat(data).noneMatch(d -> d.equals("[DONE]"));

        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("outcome").asText()).isEqualTo("stream_cut");
        assertThat(row.path("estimated").asBoolean()).isTrue();
        assertThat(row.path("output_tokens").asLong()).isPositive();
    }

    @Test
    void wholeAnswerCutHalfWayBecomesACleanErrorAndIsRecordedAsCut() {
        gw.sim.behaviour(gw.sim.behaviour().withFault(Fault.CUT_MID_STREAM));
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        // nothing of the half body reached the client: it gets an error in its protocol, not broken JSON
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response.body()).path("error").path("code").asText()).isEqualTo("upstream_unreachable");
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("outcome").asText()).isEqualTo("stream_cut");
    }

    @Test
    void anthropicStreamCutEndsWithAnAnthropicErrorEvent() {
        gw.sim.behaviour(gw.sim.behaviour().withChunks(10).withFault(Fault.CUT_MID_STREAM).withCutAfterChunks(3));
        var response = gw.postStreaming("/v1/messages",
                "{\"model\":\"claude-model\",\"stream\":true,\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                gw.memberKey);

        List<String> lines = response.body().toList();
        int errorEvent = lines.indexOf("event: error");
        assertThat(errorEvent).isPositive();
        assertThat(json(lines.get(errorEvent + 1).substring(6)).path("error").path("type").asText()).isEqualTo("api_error");
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("outcome").asText()).isEqualTo("stream_cut");
        assertThat(row.path("input_tokens").asLong()).isPositive(); // from message_start, before the cut
    }

    @Test
    void streamThatGoesSilentIsEndedWithATimeoutEvent() {
        gw.sim.behaviour(gw.sim.behaviour().withChunks(3).withChunkDelayMs(3_000)); // the idle timeout is 1.5 s
        var response = gw.postStreaming("/v1/chat/completions", STREAM, gw.memberKey);

        List<String> data = response.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(json(data.getLast()).path("error").path("code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void silentStreamsOnTheSameEventLoopsAreEachEndedWithATimeoutEvent() throws Exception {
        gw.sim.behaviour(gw.sim.behaviour().withChunks(3).withChunkDelayMs(3_000)); // the idle timeout is 1.5 s
        // more streams than event loops: each loop's watch ends several at once, in one of its ticks
        try (var pool = Executors.newFixedThreadPool(6)) {
            var streams = new ArrayList<Future<List<String>>>();
            for (int i = 0; i < 6; i++) {
                streams.add(pool.submit(() -> gw.postStreaming("/v1/chat/completions", STREAM, gw.memberKey).body()
                        .filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList()));
            }
            for (var stream : streams) {
                List<String> data = stream.get(20, TimeUnit.SECONDS);
                assertThat(json(data.getLast()).path("error").path("code").asText()).isEqualTo("upstream_timeout");
            }
        }
    }
}
