package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a gateway process under load loses no usage: every request whose client saw
 * a complete answer has its row after the restart, once. In {@code write} durability the event
 * loops spool the records of answers that report their usage, and the spool thread those that must
 * be estimated; in {@code fsync} durability the spool thread spools them all: half the requests go
 * to an upstream that reports no usage, so that each path is killed mid-way.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"write", "fsync"})
    void everyCompletedAnswerHasItsUsageRowAfterAKill9AndRestart(String durability) throws Exception {
        var behaviour = SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY).withChunks(20).withChunkDelayMs(5);
        try (var sim = UpstreamSimulator.start(behaviour);
             var silentSim = UpstreamSimulator.start(behaviour.withFault(SimBehaviour.Fault.NO_USAGE))) {
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path config = dir.resolve("gantry.yaml");
            Files.writeString(config, """
                    server: { port: %d, host: 127.0.0.1, event_loops: 2 }
                    database: { url: "jdbc:h2:file:%s" }
                    usage: { spool_dir: "%s", flush_interval_ms: 500, durability: %s }
                    providers:
                      - { name: sim, type: openai, base_url: "%s/v1", api_key: %s }
                      - { name: silent, type: openai, base_url: "%s/v1", api_key: %s }
                    models:
                      - { name: m, deployments: [ { provider: sim, model: x } ] }
                      - { name: m-estimated, deployments: [ { provider: silent, model: x } ] }
                    """.formatted(port, dir.resolve("db/gantry"), dir.resolve("spool"), durability, sim.baseUrl(), PROVIDER_KEY,
                    silentSim.baseUrl(), PROVIDER_KEY));
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + port;

            Process gateway = startGateway(config, base, http);
            String key = json(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/keys")).header("authorization", "Bearer " + ADMIN_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"load\"}")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .path("key").asText();

            assertThat(key).as("a key for the load").startsWith("sk-gantry-");
            var completed = new ConcurrentLinkedQueue<String>();
            var completedEstimated = new java.util.concurrent.atomic.AtomicInteger();
            var lastProblem = new java.util.concurrent.atomic.AtomicReference<String>("none");
            var running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(8);
            for (int c = 0; c < 8; c++) {
                String model = c % 2 == 0 ? "m" : "m-estimated";
                clients.submit(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                                    .header("authorization", "Bearer " + key).timeout(Duration.ofSeconds(5))
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200 && r.body().endsWith("data: [DONE]\n\n")) {
                                completed.add(r.headers().firstValue("x-gantry-request-id").orElseThrow());
                                if (model.equals("m-estimated")) completedEstimated.incrementAndGet();
                            } else {
                                lastProblem.set(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            lastProblem.set(e.toString()); // the kill cuts requests off: no complete answer
                        }
                    }
                    return null;
                });
            }
            for (int i = 0; i < 200 && (completed.size() < 50 || completedEstimated.get() < 20); i++) Thread.sleep(50); // load for a while
            gateway.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            gateway.waitFor(10, TimeUnit.SECONDS);
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(completed).as("requests completed before the kill (last problem: %s; log: %s)", lastProblem.get(),
                    Files.readString(dir.resolve("gateway.log"))).hasSizeGreaterThan(20);
            assertThat(completedEstimated.get()).as("requests completed whose usage had to be estimated").isGreaterThan(5);

            Process restarted = startGateway(config, base, http);
            try {
                List<String> missing = completed.stream().filter(id -> {
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/usage/requests/" + id))
                                .header("authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() != 200;
                    } catch (Exception e) {
                        return true;
                    }
                }).toList();
                assertThat(missing).as("completed requests without a usage row after the restart").isEmpty();
                var totals = json(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/usage"))
                        .header("authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString()).body());
                long rows = totals.path("total").path("requests").asLong();
                assertThat(rows).as("no row twice, none for requests never sent").isGreaterThanOrEqualTo(completed.size())
                        .isLessThanOrEqualTo(completed.size() + 8 + 1); // + the requests in flight at the kill

                // the roll-ups the dashboards read count the replayed rows too
                long rolledUp = -1;
                for (int i = 0; i < 100 && rolledUp != rows; i++) {
                    rolledUp = json(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/usage/series?granularity=hour"))
                            .header("authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString()).body())
                            .path("summary").path("requests").asLong();
                    if (rolledUp != rows) Thread.sleep(100);
                }
                assertThat(rolledUp).as("requests in the roll-ups").isEqualTo(rows);
            } finally {
                restarted.destroy();
                restarted.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private Process startGateway(Path config, String base, HttpClient http) throws Exception {
        Process p = GatewayFixture.serveInNewJvm(config, dir.resolve("gateway.log"), "-Xmx256m");
        for (int i = 0; i < 600; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) return p;
            } catch (Exception e) {
                // not listening yet
            }
            if (!p.isAlive()) throw new AssertionError("the gateway exited: " + Files.readString(dir.resolve("gateway.log")));
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("the gateway did not become ready: " + Files.readString(dir.resolve("gateway.log")));
    }
}
