package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.identity.Quota;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per key, team and model: requests per minute, tokens per minute and requests in
 * flight, refused with 429, {@code retry-after} and the {@code x-ratelimit-*} headers, which every
 * answer under a limit carries.
 */
class RateLimitTest {
    static final String CHAT = "{\"model\":\"open\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    UpstreamSimulator sim;
    GatewayFixture gw;
    GovernanceData data;

    @BeforeEach
    void start() {
        sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
        gw = GatewayFixture.startWith(sim, """
                providers:
                  - { name: sim-openai, type: openai, base_url: "%s/v1", api_key: %s, timeouts: { first_token_ms: 5000, idle_ms: 5000 } }
                models:
                  - name: open
                    deployments: [ { provider: sim-openai, model: org/open-v1 } ]
                    retry: { max_attempts: 1 }
                  - name: rationed
                    deployments: [ { provider: sim-openai, model: org/rationed-v1 } ]
                    retry: { max_attempts: 1 }
                    limits: { rpm: 3 }
                """.formatted(sim.baseUrl(), PROVIDER_KEY));
        data = new GovernanceData(gw);
    }

    @AfterEach
    void stop() {
        data.close();
        gw.close();
    }

    @Test
    void aBurstAdmitsExactlyRpmRequestsThenAnswers429WithRetryAfterAndHeaders() {
        var key = data.key("burst", GovernanceData.rates(5, null, null));
        List<HttpResponse<String>> answers = concurrently(30, CHAT, key.secret());

        assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(5);
        assertThat(answers.stream().filter(r -> r.statusCode() == 429)).hasSize(25);
        for (HttpResponse<String> r : answers) {
            assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("5");
            assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
            assertThat(r.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
        }
        HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(refused.headers().firstValueAsLong("retry-after").orElseThrow()).isBetween(1L, 120L);
        JsonNode error = json(refused.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("message").asText()).startsWith("Rate limit of key 'burst' reached: 5 requests per minute.");
    }

    @Test
    void successfulAnswersCarryTheRemainingCount() {
        var key = data.key("counted", GovernanceData.rates(10, 100_000, null));
        for (int left = 9; left >= 7; left--) {
            HttpResponse<String> ok = gw.post("/v1/chat/completions", CHAT, key.secret());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("x-ratelimit-remaining-requests")).contains(Integer.toString(left));
            assertThat(ok.headers().firstValue("x-ratelimit-limit-tokens")).contains("100000");
        }
        // a key without limits gets no such headers
        HttpResponse<String> unlimited = gw.post("/v1/chat/completions", CHAT, data.key("free", null).secret());
        assertThat(unlimited.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    }

    @Test
    void tokensPerMinuteCountTheWorstCaseWhileRunningAndRefuseWhatCannotFit() {
        var key = data.key("tokens", GovernanceData.rates(null, 1_000, null));
        String big = "{\"model\":\"open\",\"max_tokens\":2000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> never = gw.post("/v1/chat/completions", big, key.secret());
        assertThat(never.statusCode()).isEqualTo(429);
        assertThat(json(never.body()).path("error").path("message").asText()).contains("1000 tokens per minute");
        assertThat(never.headers().firstValue("retry-after")).contains("60");

        // three of 300 output tokens fit at once while they run; a fourth waits for the minute
        sim.behaviour(sim.behaviour().withLatencyMs(500));
        String mid = "{\"model\":\"open\",\"max_tokens\":300,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        List<HttpResponse<String>> answers = concurrently(4, mid, key.secret());
        assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(3);
        assertThat(answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow().headers()
                .firstValue("x-ratelimit-limit-tokens")).contains("1000");
    }

    @Test
    void maxParallelRefusesWhileSlowStreamsRunAndAdmitsOnceTheyEnd() throws Exception {
        var key = data.key("parallel", GovernanceData.rates(null, null, 2));
        sim.behaviour(sim.behaviour().withChunks(5).withChunkDelayMs(300));
        String stream = "{\"model\":\"open\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        var first = CompletableFuture.supplyAsync(() -> gw.postStreaming("/v1/chat/completions", stream, key.secret()));
        var second = CompletableFuture.supplyAsync(() -> gw.postStreaming("/v1/chat/completions", stream, key.secret()));
        HttpResponse<Stream<String>> a = first.get(), b = second.get(); // headers in: both are running
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(b.statusCode()).isEqualTo(200);

        HttpResponse<String> third = gw.post("/v1/chat/completions", CHAT, key.secret());
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("retry-after")).contains("1");
        assertThat(json(third.body()).path("error").path("message").asText()).contains("2 requests at a time");

        try (Stream<String> x = a.body(); Stream<String> y = b.body()) {
            assertThat(x.toList()).contains("data: [DONE]");
            assertThat(y.toList()).contains("data: [DONE]");
        }
        sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (gw.post("/v1/chat/completions", CHAT, key.secret()).statusCode() != 200) {
            if (System.nanoTime() > deadline) throw new AssertionError("the parallel slots were never released");
            GatewayFixture.sleep(20);
        }
    }

    @Test
    void teamLimitsApplyAcrossTheKeysOfItsMembers() {
        String ann = data.user("ann"), bob = data.user("bob");
        String team = data.team("platform", new Quota(null, null, dev.gantry.limits.BudgetPeriod.MONTH, 4, null, null), ann, bob);
        var annKey = data.key("ann-key", ann, team, null);
        var bobKey = data.key("bob-key", bob, team, null);
        awaitLimited(annKey.secret(), "x-ratelimit-limit-requests"); // the directory has seen the team
        // the probe used some of the team's four requests: the two keys share what is left
        int admitted = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 8; i++) {
            last = gw.post("/v1/chat/completions", CHAT, (i % 2 == 0 ? bobKey : annKey).secret());
            if (last.statusCode() == 200) admitted++;
        }
        assertThat(admitted).isEqualTo(3);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(json(last.body()).path("error").path("message").asText())
                .startsWith("Rate limit of team 'platform' reached: 4 requests per minute.");
    }

    @Test
    void modelLimitsApplyAcrossKeys() {
        var one = data.key("one", null);
        var two = data.key("two", null);
        String body = CHAT.replace("\"open\"", "\"rationed\"");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) statuses.add(gw.post("/v1/chat/completions", body, (i % 2 == 0 ? one : two).secret()).statusCode());
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429, 429);
        HttpResponse<String> refused = gw.post("/v1/chat/completions", body, two.secret());
        assertThat(json(refused.body()).path("error").path("message").asText()).startsWith("Rate limit of model 'rationed' reached");
        assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).contains("3");
    }

    private void awaitLimited(String secret, String header) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gw.post("/v1/chat/completions", CHAT, secret).headers().firstValue(header).isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the team's limit never applied");
            GatewayFixture.sleep(100);
        }
    }

    private List<HttpResponse<String>> concurrently(int n, String body, String secret) {
        var answers = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < n; i++) {
            var request = HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions"))).timeout(Duration.ofSeconds(30))
                    .header("authorization", "Bearer " + secret).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            answers.add(gw.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }
}
