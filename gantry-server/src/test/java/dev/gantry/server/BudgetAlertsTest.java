package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.limits.BudgetPeriod;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budget alerts reach the webhook once per threshold: a tiny HTTP server stands in for Slack.
 *
 * <p>The model charges output only, and each request asks for two tokens of an answer the
 * simulator makes five long: so a request costs exactly its reserved worst case, $0.00002, and five
 * of them spend the $0.0001 budget to the last nano-dollar, crossing 50, 80 and 100 %.
 */
class BudgetAlertsTest {
    static final String CHAT = "{\"model\":\"output-priced\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    final Vertx vertx = Vertx.vertx();
    final List<String> received = new CopyOnWriteArrayList<>();
    HttpServer webhook;
    GatewayFixture gw;
    GovernanceData data;

    @BeforeEach
    void start() throws Exception {
        webhook = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            received.add(body.toJsonObject().getString("text"));
            request.response().end("ok");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        var sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
        gw = GatewayFixture.startWith(sim, """
                governance: { alert_webhook: "http://127.0.0.1:%d/hooks/T000/B000/secret", alert_thresholds: [100, 50, 80] }
                providers:
                  - { name: sim-openai, type: openai, base_url: "%s/v1", api_key: %s }
                models:
                  - name: output-priced
                    deployments: [ { provider: sim-openai, model: org/output-priced-v1 } ]
                    price: { input_per_mtok: 0, output_per_mtok: 10 }
                    retry: { max_attempts: 1 }
                """.formatted(webhook.actualPort(), sim.baseUrl(), PROVIDER_KEY));
        data = new GovernanceData(gw);
    }

    @AfterEach
    void stop() throws Exception {
        data.close();
        gw.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void eachThresholdPostsOnceAndTheSpentBudgetRefuses() {
        var key = data.key("alerted", GovernanceData.budgetUsd(100_000, BudgetPeriod.WEEK));
        for (int i = 0; i < 5; i++) assertThat(gw.post("/v1/chat/completions", CHAT, key.secret()).statusCode()).isEqualTo(200);
        var refused = gw.post("/v1/chat/completions", CHAT, key.secret());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(json(refused.body()).path("error").path("message").asText())
                .startsWith("The weekly USD budget of key 'alerted' ($0.0001) is spent; it resets at ");

        awaitAlerts(3);
        GatewayFixture.sleep(300); // and no more come
        // each post is fired and forgotten on its own connection: two crossed in one batch may
        // arrive in either order
        assertThat(received).hasSize(3);
        assertThat(received).containsOnlyOnce("Gantry: key '" + key.id() + "' has spent 50% of its weekly USD budget "
                + "($0.00006 of $0.0001); it resets at " + resetOf(refused.body()) + ".");
        assertThat(received).filteredOn(text -> text.contains("has spent 80% of its weekly USD budget ($0.00008 of $0.0001)"))
                .hasSize(1);
        assertThat(received).filteredOn(text -> text.contains("has spent 100% of its weekly USD budget ($0.0001 of $0.0001)"))
                .hasSize(1);
        assertThat(String.join("\n", received)).doesNotContain(key.secret()).doesNotContain("sk-");
    }

    /** The reset instant the refusal named. */
    private static String resetOf(String refusalBody) {
        String message = json(refusalBody).path("error").path("message").asText();
        return message.substring(message.indexOf("resets at ") + "resets at ".length(), message.length() - 1);
    }

    private void awaitAlerts(int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("alerts received: " + received);
            GatewayFixture.sleep(20);
        }
    }
}
