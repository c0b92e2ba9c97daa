package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.limits.BudgetPeriod;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets hold under concurrency: 200 requests at once on a nearly spent budget overshoot it by at
 * most one request's reservation, and the refused ones get a 429 naming the budget, in the client's
 * protocol.
 */
class BudgetRaceTest {
    /** Input $3, output $15 per million tokens: 3,000 and 15,000 nano-dollars a token. */
    static final String CHAT = "{\"model\":\"priced\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    static final String MESSAGES = "{\"model\":\"priced\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    /** What the gateway reserves for CHAT: (bytes / 4) prompt tokens x $3 + 10 x $15 per million. */
    static final long WORST_NANOS = CHAT.length() / 4 * 3_000L + 10 * 15_000L;
    static final long BUDGET_NANOS = 2_000_000; // $0.002: about twenty of these requests

    GatewayFixture gw;
    GovernanceData data;

    @BeforeEach
    void start() {
        var sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY).withLatencyMs(20));
        gw = GatewayFixture.startWith(sim, """
                providers:
                  - { name: sim-openai, type: openai, base_url: "%s/v1", api_key: %s }
                models:
                  - name: priced
                    deployments: [ { provider: sim-openai, model: org/priced-v1 } ]
                    price: { input_per_mtok: 3, output_per_mtok: 15 }
                    retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl(), PROVIDER_KEY));
        data = new GovernanceData(gw);
    }

    @AfterEach
    void stop() {
        data.close();
        gw.close();
    }

    @Test
    void twoHundredConcurrentRequestsOvershootABudgetByAtMostOneReservation() {
        var key = data.key("racer", GovernanceData.budgetUsd(BUDGET_NANOS, BudgetPeriod.MONTH));
        // spend most of it first, one request after another
        while (data.spentByKey(key.id()).costNanos() < BUDGET_NANOS * 3 / 4) {
            assertThat(gw.post("/v1/chat/completions", CHAT, key.secret()).statusCode()).isEqualTo(200);
        }

        var answers = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 200; i++) {
            var request = i % 2 == 0
                    ? post("/v1/chat/completions", CHAT).header("authorization", "Bearer " + key.secret()).build()
                    : post("/v1/messages", MESSAGES).header("x-api-key", key.secret()).header("anthropic-version", "2023-06-01").build();
            answers.add(gw.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = answers.stream().map(CompletableFuture::join).toList();

        var refused = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(responses).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 429);
        assertThat(refused).isNotEmpty();
        long spent = awaitStoredSpend(key.id());
        assertThat(spent).isLessThanOrEqualTo(BUDGET_NANOS + WORST_NANOS);

        HttpResponse<String> openAi = refused.stream().filter(r -> r.uri().getPath().equals("/v1/chat/completions")).findFirst().orElseThrow();
        JsonNode error = json(openAi.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
        assertThat(error.path("code").asText()).isEqualTo("budget_exceeded");
        String nextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        assertThat(error.path("message").asText()).startsWith("The monthly USD budget of key 'racer' ($0.002)")
                .endsWith("; it resets at " + nextMonth + ".");
        assertThat(openAi.headers().firstValueAsLong("retry-after").orElseThrow()).isPositive();

        HttpResponse<String> anthropic = refused.stream().filter(r -> r.uri().getPath().equals("/v1/messages")).findFirst().orElseThrow();
        JsonNode body = json(anthropic.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(body.path("error").path("message").asText()).contains("monthly USD budget of key 'racer'");
    }

    @Test
    void aSpentTeamBudgetNamesTheTeamAndWhenItResets() {
        String user = data.user("alice");
        String team = data.team("ml", GovernanceData.budgetUsd(1, BudgetPeriod.DAY), user);
        var key = data.key("alice-laptop", user, team, null);
        awaitRefused(key.secret()); // once the directory has seen the team, its budget applies

        // a budget of one nano-dollar has no room for any request's worst case
        HttpResponse<String> refused = gw.post("/v1/chat/completions", CHAT, key.secret());
        assertThat(refused.statusCode()).isEqualTo(429);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        assertThat(json(refused.body()).path("error").path("message").asText())
                .matches("The daily USD budget of team 'ml' \\(\\$0\\.000000001\\) (is spent|has .*); it resets at \\Q" + tomorrow + "\\E\\.");
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(java.net.URI.create(gw.url(path))).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private void awaitRefused(String secret) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gw.post("/v1/chat/completions", CHAT, secret).statusCode() != 429) {
            if (System.nanoTime() > deadline) throw new AssertionError("the team budget never applied");
            GatewayFixture.sleep(100);
        }
    }

    /** The key's stored spend, once it has stopped changing (the last usage rows have landed). */
    private long awaitStoredSpend(String keyId) {
        long previous = -1;
        for (int i = 0; i < 50; i++) {
            GatewayFixture.sleep(300);
            long spent = data.spentByKey(keyId).costNanos();
            if (spent == previous) return spent;
            previous = spent;
        }
        throw new AssertionError("the stored spend never settled");
    }
}
