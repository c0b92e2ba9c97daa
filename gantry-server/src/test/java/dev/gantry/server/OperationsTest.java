package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health, readiness and Prometheus metrics. */
class OperationsTest {
    static GatewayFixture gw;

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    @Test
    void everyConfiguredEventLoopServesConnections() {
        assertThat(gw.gateway.config().server().eventLoops()).isEqualTo(2);
        assertThat(gw.gateway.servingEventLoops()).isEqualTo(2);
    }

    @Test
    void liveAndReady() {
        assertThat(gw.get("/health/live", null).statusCode()).isEqualTo(200);
        var ready = gw.get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("ready");
    }

    @Test
    void metricsCountRequestsTokensCostAndLatencyByModel() {
        var response = gw.post("/v1/chat/completions",
                "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}", gw.memberKey);
        gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());

        String metrics = gw.get("/metrics", null).body();
        assertThat(metrics).contains("gantry_requests_total{endpoint=\"/v1/chat/completions\",model=\"open-model\",outcome=\"ok\",status=\"200\"}");
        assertThat(metrics).contains("gantry_request_duration_seconds_bucket{endpoint=\"/v1/chat/completions\",model=\"open-model\"");
        assertThat(metrics).contains("gantry_time_to_first_token_seconds_bucket");
        assertThat(metrics).contains("gantry_tokens_sum{kind=\"output\",model=\"open-model\"}");
        assertThat(metrics).contains("gantry_cost_usd_total{model=\"open-model\"}");
        assertThat(metrics).contains("gantry_requests_in_flight");
    }

    @Test
    void unknownModelNamesDoNotBecomeMetricLabels() {
        var response = gw.post("/v1/chat/completions", "{\"model\":\"random-name-1234\",\"messages\":[]}", gw.memberKey);
        gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());

        assertThat(gw.get("/metrics", null).body()).doesNotContain("random-name-1234");
    }

    @Test
    void metricsAndLogsNeverCarrySecretsOrPrompts() throws InterruptedException {
        var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var captured = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        captured.start();
        root.addAppender(captured);
        try {
            String prompt = "my secret prompt about project falcon";
            String id = gw.post("/v1/chat/completions", "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + prompt + "\"}]}", gw.memberKey).headers().firstValue("x-gantry-request-id").orElseThrow();
            gw.post("/v1/chat/completions", "{\"model\":\"open-model\",\"messages\":[]}", "sk-gantry-guessed-key-123");
            gw.post("/api/v1/keys", "{\"name\":\"logged?\"}", ADMIN_KEY);
            gw.usageRow(id);

            // the access line follows the row's insert on the store thread: give it a moment
            long deadline = System.nanoTime() + 5_000_000_000L;
            String logs = "";
            while (!logs.contains(id) && System.nanoTime() < deadline) {
                Thread.sleep(10);
                logs = List.copyOf(captured.list).stream().map(e -> e.getFormattedMessage()).reduce("", (a, b) -> a + b + "\n");
            }
            assertThat(logs).contains(id); // the access line was captured
            assertThat(logs).doesNotContain(PROVIDER_KEY, ADMIN_KEY, gw.memberKey, "sk-gantry-guessed-key-123", prompt);
            String metrics = gw.get("/metrics", null).body();
            assertThat(metrics).doesNotContain(PROVIDER_KEY, ADMIN_KEY, gw.memberKey, prompt);
        } finally {
            root.detachAppender(captured);
        }
    }
}
