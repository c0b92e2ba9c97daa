package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traces over OTLP/HTTP: a real receiver on loopback decodes what the gateway exports. One span
 * per data-plane request with the GenAI attributes, joined to the caller's trace when it sent a
 * {@code traceparent}, passed on to the upstream; never a prompt, an answer or a key.
 */
class TracingTest {
    static final String PROMPT = "the-secret-prompt-text-42";
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";

    final List<byte[]> exports = new CopyOnWriteArrayList<>();
    HttpServer collector;
    UpstreamSimulator sim;
    GatewayFixture gw;

    @BeforeEach
    void startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) exports.add(body);
            exchange.getResponseHeaders().add("content-type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        collector.stop(0);
    }

    private GatewayFixture startGateway(String telemetry) {
        sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
        return GatewayFixture.startWith(sim, telemetry + """
                providers:
                  - { name: sim-openai, type: openai, base_url: "%s/v1", api_key: %s }
                  - { name: sim-anthropic, type: anthropic, base_url: "%s", api_key: %s }
                  - { name: nowhere, type: openai, base_url: "http://127.0.0.1:1/v1" }
                models:
                  - name: open-model
                    deployments: [ { provider: sim-openai, model: org/open-model-v1 } ]
                  - name: claude-model
                    deployments: [ { provider: sim-anthropic, model: claude-upstream-1 } ]
                  - name: embed-model
                    deployments: [ { provider: sim-openai, model: org/embed-v1 } ]
                  - name: dead-model
                    deployments: [ { provider: nowhere, model: gone } ]
                    retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl(), PROVIDER_KEY, sim.baseUrl(), PROVIDER_KEY));
    }

    @Test
    void eachRequestBecomesOneGenAiSpanJoinedToTheCallersTrace() {
        gw = startGateway("""
                telemetry:
                  otlp_endpoint: http://127.0.0.1:%d
                  service_name: gantry-test
                  headers: { authorization: "Bearer collector-token" }
                """.formatted(collector.getAddress().getPort()));
        String key = gw.memberKey;
        String chat = "{\"model\":\"open-model\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";

        HttpResponse<String> plain = gw.send(gw.request("/v1/chat/completions", key).header("content-type", "application/json")
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(chat)).build());
        assertThat(plain.statusCode()).isEqualTo(200);
        String answer = json(plain.body()).path("choices").path(0).path("message").path("content").asText();
        String upstreamTraceparent = sim.lastRequest().header("traceparent").orElseThrow();

        var streamed = gw.postStreaming("/v1/chat/completions", chat.replace("{\"model\"", "{\"stream\":true,\"model\""), key);
        assertThat(streamed.statusCode()).isEqualTo(200);
        streamed.body().forEach(line -> {});
        var messages = gw.postAnthropic("/v1/messages",
                "{\"model\":\"claude-model\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}", key);
        assertThat(messages.statusCode()).isEqualTo(200);
        var embeddings = gw.post("/v1/embeddings", "{\"model\":\"embed-model\",\"input\":\"" + PROMPT + "\"}", key);
        assertThat(embeddings.statusCode()).isEqualTo(200);
        var failed = gw.post("/v1/chat/completions", chat.replace("open-model", "dead-model"), key);
        assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
        List<String> ids = List.of(plain, streamed, messages, embeddings, failed).stream()
                .map(r -> r.headers().firstValue("x-gantry-request-id").orElseThrow()).toList();
        for (String id : ids) gw.usageRow(id); // measured, so their spans are made

        gw.close(); // a graceful stop flushes the spans still batched
        gw = null;

        Map<String, Span> spans = spansByRequestId();
        assertThat(spans).containsOnlyKeys(ids);

        Span chatSpan = spans.get(ids.get(0));
        assertThat(chatSpan.getName()).isEqualTo("chat open-model");
        assertThat(chatSpan.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(hex(chatSpan.getTraceId().toByteArray())).isEqualTo(TRACE_ID);
        assertThat(hex(chatSpan.getParentSpanId().toByteArray())).isEqualTo(CALLER_SPAN);
        assertThat(upstreamTraceparent).isEqualTo("00-" + TRACE_ID + "-" + hex(chatSpan.getSpanId().toByteArray()) + "-01");
        Map<String, Object> a = attributes(chatSpan);
        assertThat(a).containsEntry("gen_ai.operation.name", "chat").containsEntry("gen_ai.provider.name", "openai")
                .containsEntry("gen_ai.request.model", "open-model").containsEntry("gen_ai.response.model", "org/open-model-v1")
                .containsEntry("gen_ai.request.max_tokens", 50L).containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", (long) sim.port()).containsEntry("gantry.request_id", ids.get(0))
                .containsEntry("gantry.stream", false).containsEntry("gantry.estimated_usage", false)
                .containsKeys("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gantry.key_id", "gantry.ttft_ms")
                .doesNotContainKey("error.type");
        assertThat((Long) a.get("gen_ai.usage.output_tokens")).isPositive();
        long durationNanos = chatSpan.getEndTimeUnixNano() - chatSpan.getStartTimeUnixNano();
        assertThat(durationNanos).isPositive().isLessThan(Duration.ofSeconds(20).toNanos());

        Span streamSpan = spans.get(ids.get(1));
        assertThat(streamSpan.getName()).isEqualTo("chat open-model");
        assertThat(streamSpan.getParentSpanId().isEmpty()).isTrue(); // no traceparent: a trace of its own
        assertThat(hex(streamSpan.getTraceId().toByteArray())).isNotEqualTo(TRACE_ID);
        assertThat(attributes(streamSpan)).containsEntry("gantry.stream", true).containsKey("gantry.ttft_ms");

        assertThat(spans.get(ids.get(2)).getName()).isEqualTo("chat claude-model");
        assertThat(attributes(spans.get(ids.get(2)))).containsEntry("gen_ai.provider.name", "anthropic")
                .containsEntry("gen_ai.response.model", "claude-upstream-1");
        assertThat(spans.get(ids.get(3)).getName()).isEqualTo("embeddings embed-model");
        assertThat(attributes(spans.get(ids.get(3)))).containsEntry("gen_ai.operation.name", "embeddings");

        Span failedSpan = spans.get(ids.get(4));
        assertThat(failedSpan.getName()).isEqualTo("chat dead-model");
        assertThat(failedSpan.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attributes(failedSpan)).containsEntry("error.type", Integer.toString(failed.statusCode()))
                .containsEntry("server.port", 1L);

        String everything = exports.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).collect(Collectors.joining());
        assertThat(everything).contains("gantry-test") // service.name
                .doesNotContain(PROMPT).doesNotContain(answer).doesNotContain(key).doesNotContain(PROVIDER_KEY)
                .doesNotContain(ADMIN_KEY).doesNotContain("collector-token");
    }

    @Test
    void aSampleRatioOfZeroExportsNothingButStillPassesTheCallersDecisionOn() {
        gw = startGateway("telemetry: { otlp_endpoint: \"http://127.0.0.1:%d\", sample_ratio: 0 }\n"
                .formatted(collector.getAddress().getPort()));
        String chat = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        var unsampled = gw.post("/v1/chat/completions", chat, gw.memberKey);
        assertThat(sim.lastRequest().header("traceparent").orElseThrow()).endsWith("-00");
        var joined = gw.send(gw.request("/v1/chat/completions", gw.memberKey).header("content-type", "application/json")
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(chat)).build());
        assertThat(sim.lastRequest().header("traceparent").orElseThrow()).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
        gw.usageRow(unsampled.headers().firstValue("x-gantry-request-id").orElseThrow());
        String joinedId = joined.headers().firstValue("x-gantry-request-id").orElseThrow();
        gw.usageRow(joinedId);
        gw.close();
        gw = null;
        assertThat(spansByRequestId()).containsOnlyKeys(joinedId);
    }

    @Test
    void withoutTelemetryNothingIsExportedAndNoExporterThreadStarts() {
        Set<Long> before = Thread.getAllStackTraces().keySet().stream().map(Thread::threadId).collect(Collectors.toSet());
        gw = startGateway("");
        var response = gw.send(gw.request("/v1/chat/completions", gw.memberKey).header("content-type", "application/json")
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sim.lastRequest().header("traceparent")).isEmpty(); // the caller's is not passed through either
        gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        var started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t.threadId()))
                .map(Thread::getName).toList();
        assertThat(started).noneMatch(name -> name.contains("BatchSpanProcessor") || name.toLowerCase().contains("otlp")
                || name.toLowerCase().contains("otel"));
        gw.close();
        gw = null;
        assertThat(exports).isEmpty();
    }

    private Map<String, Span> spansByRequestId() {
        var out = new java.util.LinkedHashMap<String, Span>();
        for (byte[] body : exports) {
            try {
                var request = ExportTraceServiceRequest.parseFrom(body);
                request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(
                        span -> assertThat(out.put((String) attributes(span).get("gantry.request_id"), span)).isNull())));
            } catch (IOException e) {
                throw new AssertionError("not an ExportTraceServiceRequest", e);
            }
        }
        return out;
    }

    private static Map<String, Object> attributes(Span span) {
        var out = new java.util.LinkedHashMap<String, Object>();
        for (KeyValue kv : span.getAttributesList()) out.put(kv.getKey(), value(kv.getValue()));
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case BOOL_VALUE -> v.getBoolValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            default -> v.toString();
        };
    }

    private static String hex(byte[] bytes) { return HexFormat.of().formatHex(bytes); }
}
