package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.SimBehaviour.Fault;
import dev.gantry.sim.UpstreamSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deployment and error-rate alerts reach a webhook (a tiny HTTP server standing in for Slack)
 * once per transition: one when it goes wrong, one when it is right again, never one per request.
 */
class MonitoringAlertsTest {
    static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String HOOK_PATH = "/hooks/T000/B000/webhook-secret-token";

    final Vertx vertx = Vertx.vertx();
    final List<JsonObject> received = new CopyOnWriteArrayList<>();
    final UpstreamSimulator sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
    HttpServer webhook;
    GatewayFixture gw;

    @BeforeEach
    void startWebhook() throws Exception {
        webhook = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (request.path().equals(HOOK_PATH)) received.add(body.toJsonObject());
            request.response().end("ok");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (gw != null) gw.close();
        else sim.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void start(String alerts, String routing, String providerExtra) {
        gw = GatewayFixture.startWith(sim, alerts + routing + """
                providers:
                  - { name: a, type: openai, base_url: "%s/v1", api_key: %s %s }
                models:
                  - name: m
                    deployments: [ { provider: a, model: org/m-v1 } ]
                    retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl(), PROVIDER_KEY, providerExtra));
    }

    private String hook() { return "http://127.0.0.1:" + webhook.actualPort() + HOOK_PATH; }

    @Test
    void aBreakerOpeningPostsOneDownAlertAndItsRecoveryOneMore() {
        start("alerts: { webhook: \"%s\", error_rate: { enabled: false } }\n".formatted(hook()),
                "routing: { breaker_failures: 2, breaker_cooldown_ms: 300 }\n", "");
        assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).isEqualTo(200);

        sim.behaviour(sim.behaviour().withFault(Fault.RESET_BEFORE_RESPONSE));
        for (int i = 0; i < 6; i++) assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).isGreaterThanOrEqualTo(500);
        awaitAlerts(1);
        GatewayFixture.sleep(1_500); // more polls, more failed requests meanwhile: still one alert
        for (int i = 0; i < 3; i++) gw.post("/v1/chat/completions", CHAT, gw.memberKey);
        GatewayFixture.sleep(1_200);
        assertThat(received).hasSize(1);
        JsonObject down = received.getFirst();
        assertThat(down.getString("text")).isEqualTo("Gantry: deployment 'a/org/m-v1' is down: its circuit breaker opened after "
                + "repeated failures; requests go to other deployments or fallbacks.");
        assertThat(down.getJsonObject("gantry").getMap()).containsEntry("kind", "deployment_down")
                .containsEntry("deployment", "a/org/m-v1").containsEntry("provider", "a").containsEntry("reason", "circuit_breaker");

        sim.behaviour(sim.behaviour().withFault(Fault.NONE));
        GatewayFixture.sleep(400); // past the cool-down: the next request is the breaker's probe
        assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).isEqualTo(200);
        awaitAlerts(2);
        GatewayFixture.sleep(1_200);
        assertThat(received).hasSize(2);
        assertThat(received.get(1).getString("text")).startsWith("Gantry: deployment 'a/org/m-v1' has recovered after ");
        assertThat(received.get(1).getJsonObject("gantry").getString("kind")).isEqualTo("deployment_recovered");
        assertNoSecrets();
        assertThat(gw.get("/metrics", null).body())
                .contains("gantry_alerts_sent_total{kind=\"deployment_down\",result=\"delivered\"} 1.0")
                .contains("gantry_alerts_sent_total{kind=\"deployment_recovered\",result=\"delivered\"} 1.0");
    }

    @Test
    void aFailingHealthCheckPostsOneDownAlertAndOneRecoveredToTheGovernanceWebhook() {
        start("governance: { alert_webhook: \"%s\" }\nalerts: {}\n".formatted(hook()), "",
                ", health_check: { path: /v1/models, interval_ms: 100 }");
        sim.behaviour(sim.behaviour().withStatus(503));
        awaitAlerts(1);
        GatewayFixture.sleep(1_500);
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().getString("text")).isEqualTo("Gantry: deployment 'a/org/m-v1' is down: its health check "
                + "fails; requests go to other deployments or fallbacks.");
        assertThat(received.getFirst().getJsonObject("gantry").getString("reason")).isEqualTo("health_check");

        sim.behaviour(sim.behaviour().withStatus(200));
        awaitAlerts(2);
        GatewayFixture.sleep(1_200);
        assertThat(received).hasSize(2);
        assertThat(received.get(1).getJsonObject("gantry").getString("kind")).isEqualTo("deployment_recovered");
        assertNoSecrets();
    }

    @Test
    void anErrorBurstPostsOneSpikeAlertAndOneWhenBackToNormal() {
        start("alerts: { webhook: \"%s\", deployment_down: false, error_rate: { threshold: 0.5, window_seconds: 60, min_requests: 5 } }\n"
                .formatted(hook()), "routing: { breaker_failures: 1000 }\n", "");
        for (int i = 0; i < 3; i++) assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).isEqualTo(200);
        sim.behaviour(sim.behaviour().withStatus(500));
        for (int i = 0; i < 6; i++) assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).isEqualTo(500);
        awaitAlerts(1);
        JsonObject spike = received.getFirst();
        // the third failure made it 3 of 6: the threshold; the three after it said nothing more
        assertThat(spike.getString("text")).isEqualTo("Gantry: model 'm' is failing: 3 of its 6 requests in the last 60 s failed "
                + "(50%, alert threshold 50%).");
        assertThat(spike.getJsonObject("gantry").getMap()).containsEntry("kind", "error_rate_high").containsEntry("model", "m")
                .containsEntry("requests", 6).containsEntry("failures", 3);

        sim.behaviour(sim.behaviour().withStatus(200));
        for (int i = 0; i < 10; i++) assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).isEqualTo(200);
        awaitAlerts(2);
        GatewayFixture.sleep(500);
        assertThat(received).hasSize(2);
        assertThat(received.get(1).getString("text")).isEqualTo("Gantry: model 'm' is back to normal: 6 of its 13 requests in the "
                + "last 60 s failed (46%).");
        assertNoSecrets();
    }

    private void assertNoSecrets() {
        String all = received.toString();
        assertThat(all).doesNotContain(PROVIDER_KEY).doesNotContain(gw.memberKey).doesNotContain("webhook-secret-token")
                .doesNotContain(GatewayFixture.ADMIN_KEY);
    }

    private void awaitAlerts(int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("alerts received: " + received);
            GatewayFixture.sleep(20);
        }
    }
}
