package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.SimBehaviour.Fault;
import dev.gantry.sim.UpstreamSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several deployments per model over two real simulators ("a" and "b", as two GPU servers):
 * the split each strategy promises, failover, retries, the circuit breaker, cool-down after 429,
 * fallback models, and the concurrency cap.
 */
class RoutingTest {
    static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    final UpstreamSimulator a = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
    final UpstreamSimulator b = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
    GatewayFixture gw;

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        b.close();
    }

    private void start(String models) {
        gw = GatewayFixture.startWith(a, """
                routing: { breaker_failures: 3, breaker_cooldown_ms: 60000 }
                providers:
                  - { name: a, type: openai, base_url: "%s/v1", api_key: %s, timeouts: { first_token_ms: 5000, idle_ms: 5000 } }
                  - { name: b, type: openai, base_url: "%s/v1", api_key: %s, timeouts: { first_token_ms: 5000, idle_ms: 5000 } }
                """.formatted(a.baseUrl(), PROVIDER_KEY, b.baseUrl(), PROVIDER_KEY) + models);
    }

    /** Waits until the gateway reports {@code n} requests in flight over all deployments. */
    private void awaitInFlight(int n) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            int inFlight = json(gw.get("/api/v1/deployments", ADMIN_KEY).body()).path("data").findValues("in_flight")
                    .stream().mapToInt(JsonNode::asInt).sum();
            if (inFlight >= n) return;
            Thread.sleep(10);
        }
        throw new AssertionError("never " + n + " requests in flight");
    }

    private List<Integer> send(int n, String body) {
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) statuses.add(gw.post("/v1/chat/completions", body, gw.memberKey).statusCode());
        return statuses;
    }

    @Test
    void weightedSplitsTrafficByWeight() {
        start("""
                models:
                  - name: m
                    strategy: weighted
                    deployments:
                      - { provider: a, model: x, weight: 3 }
                      - { provider: b, model: x, weight: 1 }
                """);
        assertThat(send(400, CHAT)).containsOnly(200);
        double shareOfA = a.requestCount() / 400.0;
        assertThat(shareOfA).as("a's share with weights 3:1").isBetween(0.66, 0.84); // 0.75 ± 4.5 standard deviations
        assertThat(a.requestCount() + b.requestCount()).isEqualTo(400);
    }

    @Test
    void roundRobinAlternates() {
        start("""
                models:
                  - name: m
                    strategy: round_robin
                    deployments: [ { provider: a, model: x }, { provider: b, model: x } ]
                """);
        send(10, CHAT);
        assertThat(a.requestCount()).isEqualTo(5);
        assertThat(b.requestCount()).isEqualTo(5);
    }

    @Test
    void cheapestSendsEverythingToTheCheaperDeployment() {
        start("""
                models:
                  - name: m
                    strategy: cheapest
                    price: { input_per_mtok: 1, output_per_mtok: 2 }
                    deployments:
                      - { provider: a, model: x }
                      - { provider: b, model: x, price: { input_per_mtok: 0.5, output_per_mtok: 1 } }
                """);
        assertThat(send(10, CHAT)).containsOnly(200);
        assertThat(b.requestCount()).isEqualTo(10);
        assertThat(a.requestCount()).isZero();
    }

    @Test
    void lowestLatencyLearnsWhichDeploymentAnswersFirst() {
        start("""
                models:
                  - name: m
                    strategy: lowest_latency
                    deployments: [ { provider: a, model: x }, { provider: b, model: x } ]
                """);
        a.behaviour(a.behaviour().withLatencyMs(150));
        assertThat(send(6, CHAT)).containsOnly(200); // both get measured
        long aBefore = a.requestCount();
        assertThat(send(10, CHAT)).containsOnly(200);
        assertThat(a.requestCount()).as("the slow deployment gets no more work").isEqualTo(aBefore);
        assertThat(b.requestCount()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void priorityUsesTheFirstChoiceUntilItFailsThenFailsOverAndOpensItsBreaker() {
        start("""
                models:
                  - name: m
                    strategy: priority
                    deployments: [ { provider: a, model: x, priority: 0 }, { provider: b, model: x, priority: 1 } ]
                """);
        assertThat(send(5, CHAT)).containsOnly(200);
        assertThat(a.requestCount()).isEqualTo(5);
        assertThat(b.requestCount()).isZero();

        a.behaviour(a.behaviour().withFault(Fault.RESET_BEFORE_RESPONSE));
        long aBefore = a.requestCount();
        assertThat(send(10, CHAT)).as("every client still gets an answer").containsOnly(200);
        // three failures open a's breaker: after that it is left alone (each failure is one request
        // plus the client's one retry on a closed pooled connection)
        assertThat(a.requestCount() - aBefore).isLessThanOrEqualTo(6);
        assertThat(b.requestCount()).isEqualTo(10);

        JsonNode deployments = json(gw.get("/api/v1/deployments", ADMIN_KEY).body()).path("data");
        JsonNode stateOfA = deployments.findParents("id").stream().filter(d -> d.path("id").asText().equals("a/x")).findFirst().orElseThrow();
        assertThat(stateOfA.path("breaker").asText()).isEqualTo("open");
        assertThat(stateOfA.path("failures").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void serverErrorsAreRetriedOnAnotherDeploymentBeforeTheClientSeesAnything() {
        start("""
                models:
                  - name: m
                    strategy: priority
                    retry: { max_attempts: 2, initial_backoff_ms: 1 }
                    deployments: [ { provider: a, model: x, priority: 0 }, { provider: b, model: x, priority: 1 } ]
                """);
        a.behaviour(a.behaviour().withStatus(500));
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(a.requestCount()).isEqualTo(1);
        assertThat(b.requestCount()).isEqualTo(1);
        assertThat(gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow()).path("deployment").asText())
                .isEqualTo("b/x");
    }

    @Test
    void anUpstreamSilentPastItsFirstTokenTimeoutIsGivenUpAndTheRequestRetriedElsewhere() {
        gw = GatewayFixture.startWith(a, """
                providers:
                  - { name: a, type: openai, base_url: "%s/v1", api_key: %s, timeouts: { first_token_ms: 300 } }
                  - { name: b, type: openai, base_url: "%s/v1", api_key: %s }
                models:
                  - name: m
                    strategy: priority
                    retry: { max_attempts: 2, initial_backoff_ms: 1 }
                    deployments: [ { provider: a, model: x, priority: 0 }, { provider: b, model: x, priority: 1 } ]
                """.formatted(a.baseUrl(), PROVIDER_KEY, b.baseUrl(), PROVIDER_KEY));
        a.behaviour(a.behaviour().withLatencyMs(5_000));
        long start = System.nanoTime();

        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(a.requestCount()).isEqualTo(1);
        assertThat(b.requestCount()).isEqualTo(1);
        assertThat(gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow()).path("deployment").asText())
                .isEqualTo("b/x");
    }

    @Test
    void aDeploymentThatAnswers429CoolsDownForItsRetryAfter() {
        start("""
                models:
                  - name: m
                    strategy: round_robin
                    retry: { max_attempts: 2, initial_backoff_ms: 1 }
                    deployments: [ { provider: a, model: x }, { provider: b, model: x } ]
                """);
        a.behaviour(a.behaviour().withStatus(429, 30));
        assertThat(send(10, CHAT)).containsOnly(200);
        assertThat(a.requestCount()).as("a is asked once, then left alone while it cools down").isEqualTo(1);
    }

    @Test
    void whenAllRetriesFailTheLastUpstreamAnswerIsPassedOn() {
        start("""
                models:
                  - name: m
                    retry: { max_attempts: 3, initial_backoff_ms: 1, max_backoff_ms: 5 }
                    deployments: [ { provider: a, model: x } ]
                """);
        a.behaviour(a.behaviour().withStatus(503));
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response.body()).path("error").path("message").asText()).isNotBlank();
        assertThat(a.requestCount()).isEqualTo(3);
    }

    @Test
    void fallbackModelAnswersWhenThePrimaryIsDownAndUsageNamesIt() {
        start("""
                models:
                  - name: m
                    fallbacks: [ backup ]
                    retry: { max_attempts: 2, initial_backoff_ms: 1 }
                    deployments: [ { provider: a, model: x } ]
                    price: { input_per_mtok: 1, output_per_mtok: 1 }
                  - name: backup
                    deployments: [ { provider: b, model: y } ]
                    price: { input_per_mtok: 9, output_per_mtok: 9 }
                """);
        a.behaviour(a.behaviour().withFault(Fault.RESET_BEFORE_RESPONSE));
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(b.lastRequest().json().path("model").asText()).isEqualTo("y");
        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("model").asText()).isEqualTo("m");
        assertThat(row.path("served_model").asText()).isEqualTo("backup");
        long expectedNanos = (row.path("input_tokens").asLong() + row.path("output_tokens").asLong()) * 9_000_000 / 1000;
        assertThat(row.path("cost_usd").decimalValue().movePointRight(9).longValueExact()).as("priced as the backup").isEqualTo(expectedNanos);
    }

    @Test
    void aPromptTooLongForTheContextGoesToTheLongerContextFallback() throws Exception {
        // a vLLM server with a short context window, answering as vLLM does
        var vertx = io.vertx.core.Vertx.vertx();
        var shortContext = vertx.createHttpServer().requestHandler(r -> r.response().setStatusCode(400)
                .putHeader("content-type", "application/json")
                .end("{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens. However, you "
                        + "requested 9000 tokens (8000 in the messages, 1000 in the completion).\",\"type\":\"BadRequestError\","
                        + "\"param\":null,\"code\":400}")).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        try {
            start("""
                    models:
                      - name: m
                        fallbacks: [ long-context ]
                        deployments: [ { provider: short, model: x } ]
                      - name: long-context
                        deployments: [ { provider: b, model: y } ]
                    """.replace("models:", "  - { name: short, type: openai, base_url: \"http://127.0.0.1:" + shortContext.actualPort()
                    + "/v1\" }\nmodels:"));
            var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(b.lastRequest().json().path("model").asText()).isEqualTo("y");
        } finally {
            vertx.close();
        }
    }

    @Test
    void anOrdinaryClientErrorIsTheClientsAndNoReasonToFallBack() {
        start("""
                models:
                  - name: m
                    fallbacks: [ other ]
                    deployments: [ { provider: a, model: x } ]
                  - name: other
                    deployments: [ { provider: b, model: y } ]
                """);
        a.behaviour(a.behaviour().withStatus(400));
        assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).isEqualTo(400);
        assertThat(b.requestCount()).isZero();
    }

    @Test
    void imagesForATextOnlyModelGoToAFallbackThatTakesThem() {
        start("""
                models:
                  - name: m
                    accepts_images: false
                    fallbacks: [ vision ]
                    deployments: [ { provider: a, model: x } ]
                  - name: vision
                    deployments: [ { provider: b, model: v } ]
                """);
        String withImage = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is this\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}";
        assertThat(gw.post("/v1/chat/completions", withImage, gw.memberKey).statusCode()).isEqualTo(200);
        assertThat(a.requestCount()).isZero();
        assertThat(b.lastRequest().json().path("model").asText()).isEqualTo("v");

        assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).isEqualTo(200);
        assertThat(a.requestCount()).as("text still goes to the text-only model").isEqualTo(1);
    }

    @Test
    void leastInflightSendsNewWorkToTheIdleDeployment() throws Exception {
        start("""
                models:
                  - name: m
                    strategy: least_inflight
                    deployments: [ { provider: a, model: x }, { provider: b, model: x } ]
                """);
        a.behaviour(a.behaviour().withLatencyMs(800));
        b.behaviour(b.behaviour().withLatencyMs(800));
        var first = CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", CHAT, gw.memberKey));
        awaitInFlight(1);
        var second = CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", CHAT, gw.memberKey));
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
        assertThat(a.requestCount()).isEqualTo(1);
        assertThat(b.requestCount()).isEqualTo(1);
    }

    @Test
    void aProviderFailingItsHealthCheckGetsNoRequestsUntilItRecovers() throws Exception {
        gw = GatewayFixture.startWith(a, """
                providers:
                  - { name: a, type: openai, base_url: "%s/v1", api_key: %s, health_check: { path: /v1/models, interval_ms: 100 } }
                  - { name: b, type: openai, base_url: "%s/v1", api_key: %s }
                models:
                  - name: m
                    strategy: priority
                    deployments: [ { provider: a, model: x, priority: 0 }, { provider: b, model: x, priority: 1 } ]
                """.formatted(a.baseUrl(), PROVIDER_KEY, b.baseUrl(), PROVIDER_KEY));
        assertThat(send(2, CHAT)).containsOnly(200);
        assertThat(chatRequestsTo(a)).isEqualTo(2);

        a.behaviour(a.behaviour().withStatus(503));
        awaitHealthCheck("a/x", "down");
        assertThat(send(5, CHAT)).containsOnly(200);
        assertThat(chatRequestsTo(a)).as("no request was sent to the down provider").isEqualTo(2);
        assertThat(gw.get("/metrics", null).body()).contains("gantry_deployment_available{deployment=\"a/x\"} 0.0");

        a.behaviour(a.behaviour().withStatus(200));
        awaitHealthCheck("a/x", "up");
        assertThat(send(1, CHAT)).containsOnly(200);
        assertThat(chatRequestsTo(a)).isEqualTo(3);
    }

    private static long chatRequestsTo(UpstreamSimulator sim) {
        return sim.requests().stream().filter(r -> r.path().equals("/v1/chat/completions")).count();
    }

    private void awaitHealthCheck(String deploymentId, String state) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonNode deployments = json(gw.get("/api/v1/deployments", ADMIN_KEY).body()).path("data");
            for (JsonNode d : deployments) {
                if (d.path("id").asText().equals(deploymentId) && d.path("health_check").asText().equals(state)) return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(deploymentId + " never became " + state);
    }

    @Test
    void aGpuPaidByTheHourChargesEachRequestItsShareOfThatHour() {
        start("""
                models:
                  - name: m
                    deployments: [ { provider: a, model: x, cost_per_hour: 3.6 } ]
                    price: { input_per_mtok: 100, output_per_mtok: 100 }
                """);
        var response = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        JsonNode row = gw.usageRow(response.headers().firstValue("x-gantry-request-id").orElseThrow());
        // the only request in its first minute carries that whole minute: 3.6 USD/h / 60 = 0.06 USD
        assertThat(row.path("cost_usd").decimalValue()).isEqualByComparingTo("0.06");
        long tokens = row.path("input_tokens").asLong() + row.path("output_tokens").asLong();
        JsonNode deployment = json(gw.get("/api/v1/deployments", ADMIN_KEY).body()).path("data").get(0);
        assertThat(deployment.path("effective_usd_per_mtok").decimalValue())
                .isEqualByComparingTo(new java.math.BigDecimal("0.06").multiply(java.math.BigDecimal.valueOf(1_000_000))
                        .divide(java.math.BigDecimal.valueOf(tokens), 6, java.math.RoundingMode.DOWN));
    }

    @Test
    void requestsBeyondEveryDeploymentsCapacityWaitForASlot() throws Exception {
        start("""
                models:
                  - name: m
                    deployments: [ { provider: a, model: x, max_concurrent: 1 } ]
                """);
        a.behaviour(a.behaviour().withLatencyMs(400));
        var busy = CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", CHAT, gw.memberKey));
        awaitInFlight(1);
        var waited = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(busy.get().statusCode()).isEqualTo(200);
        assertThat(waited.statusCode()).as("the second request waited for the first one's slot").isEqualTo(200);
        assertThat(a.requestCount()).isEqualTo(2);
    }

    @Test
    void aFullLineOrATooLongWaitGets429WithRetryAfter() throws Exception {
        start("""
                models:
                  - name: m
                    queue: { max_waiting: 1, max_wait_ms: 300 }
                    deployments: [ { provider: a, model: x, max_concurrent: 1 } ]
                """);
        a.behaviour(a.behaviour().withLatencyMs(900));
        var busy = CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", CHAT, gw.memberKey));
        awaitInFlight(1);
        var waiting = CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", CHAT, gw.memberKey));
        Thread.sleep(100);
        var lineFull = gw.post("/v1/chat/completions", CHAT, gw.memberKey);

        assertThat(lineFull.statusCode()).as("the line holds one").isEqualTo(429);
        assertThat(lineFull.headers().firstValue("retry-after")).contains("1");
        assertThat(json(lineFull.body()).path("error").path("code").asText()).isEqualTo("capacity_exceeded");
        assertThat(waiting.get().statusCode()).as("waited 300 ms, the slot stayed busy").isEqualTo(429);
        assertThat(busy.get().statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", CHAT, gw.memberKey).statusCode()).as("capacity is given back").isEqualTo(200);
    }

    @Test
    void theLineIsFairAcrossKeys() throws Exception {
        start("""
                models:
                  - name: m
                    deployments: [ { provider: a, model: x, max_concurrent: 1 } ]
                """);
        String noisy = gw.createKey("{\"name\":\"noisy\"}");
        String quiet = gw.createKey("{\"name\":\"quiet\"}");
        a.behaviour(a.behaviour().withLatencyMs(250));
        var finished = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        var all = new ArrayList<CompletableFuture<?>>();
        all.add(CompletableFuture.runAsync(() -> { gw.post("/v1/chat/completions", CHAT, noisy); finished.add("noisy"); }));
        awaitInFlight(1);
        for (int i = 0; i < 4; i++) {
            all.add(CompletableFuture.runAsync(() -> { gw.post("/v1/chat/completions", CHAT, noisy); finished.add("noisy"); },
                    java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        Thread.sleep(150); // the noisy key's four are in line
        all.add(CompletableFuture.runAsync(() -> { gw.post("/v1/chat/completions", CHAT, quiet); finished.add("quiet"); }));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();

        // the running one, one of the noisy line, then the quiet key's turn: not behind all four
        assertThat(List.copyOf(finished).indexOf("quiet")).as("order served: %s", finished).isLessThanOrEqualTo(2);
    }
}
