package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.SimBehaviour.Fault;
import dev.gantry.sim.UpstreamSimulator;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Steady streaming load while the two deployments of a model are killed, revived and made to
 * misbehave. Every client must get either a whole answer or a clean error in its protocol, never a
 * hang or a torn body; and the ledger must hold one row per request, its outcome matching what the
 * client saw.
 */
class ChaosTest {
    static final String STREAM = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";

    private enum Seen { COMPLETE, CLEAN_ERROR, BROKEN }

    @Test
    void everyClientGetsAWholeAnswerOrACleanErrorAndEveryRequestIsRecorded() throws Exception {
        int portA = freePort(), portB = freePort();
        SimBehaviour healthy = SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY).withChunks(10).withChunkDelayMs(5);
        var sims = new UpstreamSimulator[] {
                UpstreamSimulator.start(healthy, "127.0.0.1", portA, 1), UpstreamSimulator.start(healthy, "127.0.0.1", portB, 1)};
        GatewayFixture gw = GatewayFixture.startWith(sims[0], """
                routing: { breaker_failures: 3, breaker_cooldown_ms: 300 }
                providers:
                  - { name: a, type: openai, base_url: "http://127.0.0.1:%d/v1", api_key: %s, timeouts: { first_token_ms: 3000, idle_ms: 3000 } }
                  - { name: b, type: openai, base_url: "http://127.0.0.1:%d/v1", api_key: %s, timeouts: { first_token_ms: 3000, idle_ms: 3000 } }
                models:
                  - name: m
                    strategy: round_robin
                    retry: { max_attempts: 3, initial_backoff_ms: 10, max_backoff_ms: 50, deadline_ms: 10000 }
                    deployments: [ { provider: a, model: x }, { provider: b, model: x } ]
                """.formatted(portA, PROVIDER_KEY, portB, PROVIDER_KEY));
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        var broken = new ArrayList<String>();
        var running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            for (int c = 0; c < 6; c++) {
                clients.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> r = gw.send(gw.request("/v1/chat/completions", gw.memberKey)
                                .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofString(STREAM)).build());
                        String id = r.headers().firstValue("x-gantry-request-id").orElse("none");
                        Seen s = classify(r);
                        seen.put(id, s);
                        if (s == Seen.BROKEN) synchronized (broken) { broken.add(r.statusCode() + " " + r.body()); }
                    }
                    return null;
                });
            }
            // chaos: each round, one deployment dies, misbehaves or comes back
            for (int round = 0; round < 12; round++) {
                Thread.sleep(250);
                int victim = round % 2;
                switch (round % 4) {
                    case 0 -> sims[victim].close();                                   // killed
                    case 1 -> sims[victim].behaviour(healthy.withFault(Fault.CUT_MID_STREAM).withCutAfterChunks(3));
                    case 2 -> sims[victim].behaviour(healthy.withStatus(503));
                    default -> sims[victim].behaviour(healthy);
                }
                if (round % 4 == 2) { // revive the one killed two rounds ago
                    int revived = (round - 2) % 2;
                    sims[revived] = UpstreamSimulator.start(healthy, "127.0.0.1", revived == 0 ? portA : portB, 1);
                }
            }
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("no client hung").isTrue();

            assertThat(broken).as("clients that got a torn or unexplained answer").isEmpty();
            long complete = seen.values().stream().filter(s -> s == Seen.COMPLETE).count();
            assertThat(complete).as("answers completed under chaos, of %d", seen.size()).isGreaterThan(5);
            assertThat(seen.values()).as("the chaos did reach clients (streams cut after they began)").contains(Seen.CLEAN_ERROR);

            // the ledger: one row per request, "ok" exactly for the answers clients saw complete
            for (String id : seen.keySet()) gw.usageRow(id);
            JsonNode totals = json(gw.get("/api/v1/usage", ADMIN_KEY).body()).path("total");
            assertThat(totals.path("requests").asLong()).isEqualTo(seen.size());
            long okRows = seen.keySet().stream().filter(id -> gw.usageRow(id).path("outcome").asText().equals("ok")).count();
            assertThat(okRows).isEqualTo(complete);
        } finally {
            running.set(false);
            clients.shutdownNow();
            gw.close();
            for (UpstreamSimulator s : sims) s.close();
        }
    }

    /** A whole stream ends in [DONE]; a clean error is JSON in OpenAI's shape, as a status or as the stream's last event. */
    private static Seen classify(HttpResponse<String> r) {
        String body = r.body();
        if (r.statusCode() == 200 && body.endsWith("data: [DONE]\n\n")) return Seen.COMPLETE;
        try {
            if (r.statusCode() >= 400 && json(body).path("error").path("message").isTextual()) return Seen.CLEAN_ERROR;
            if (r.statusCode() == 200) {
                List<String> events = body.lines().filter(l -> l.startsWith("data: ")).toList();
                if (!events.isEmpty() && json(events.getLast().substring(6)).path("error").path("message").isTextual()) {
                    return Seen.CLEAN_ERROR;
                }
            }
        } catch (RuntimeException e) {
            return Seen.BROKEN;
        }
        return Seen.BROKEN;
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
