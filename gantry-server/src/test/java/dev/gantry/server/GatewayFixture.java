package dev.gantry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A real gateway on a random loopback port in front of a real upstream simulator, with an
 * in-memory database, an admin key and a member key. Tests talk to it over HTTP only.
 *
 * <p>The simulator insists on the provider's key, so every test also shows that the gateway
 * swaps the client's credentials for the provider's.
 */
final class GatewayFixture implements AutoCloseable {
    static final String ADMIN_KEY = "sk-gantry-test-admin-key-0123456789";
    static final String PROVIDER_KEY = "sk-provider-secret-never-shown";
    static final ObjectMapper JSON = new ObjectMapper();

    final UpstreamSimulator sim;
    final Gateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final String memberKey;

    private GatewayFixture(UpstreamSimulator sim, Gateway gateway) {
        this.sim = sim;
        this.gateway = gateway;
        this.memberKey = createKey("{\"name\":\"member\"}");
    }

    static GatewayFixture start() {
        return start("");
    }

    /** @param serverExtra extra YAML lines under {@code server:} (indented by two spaces) */
    static GatewayFixture start(String serverExtra) {
        var sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
        try {
            GatewayConfig config = ConfigLoader.parse(config(sim.baseUrl(), serverExtra), "test.yaml", name -> null);
            return new GatewayFixture(sim, Gateway.start(config, Optional.of(ADMIN_KEY), System.out));
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    /**
     * A gateway with the caller's providers and models (YAML from {@code providers:} on), in front
     * of {@code sim}; the server, database and usage settings are the fixture's.
     */
    static GatewayFixture startWith(UpstreamSimulator sim, String providersAndModels) {
        String yaml = """
                server: { port: 0, host: 127.0.0.1, event_loops: 2, shutdown_grace_seconds: 5 }
                database: { url: "jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1" }
                usage: { flush_interval_ms: 10, spool_dir: "%s" }
                """.formatted(UUID.randomUUID(), tempSpool()) + providersAndModels;
        GatewayConfig config = ConfigLoader.parse(yaml, "test.yaml", name -> null);
        return new GatewayFixture(sim, Gateway.start(config, Optional.of(ADMIN_KEY), System.out));
    }

    private static String config(String simUrl, String serverExtra) {
        return """
                server:
                  port: 0
                  host: 127.0.0.1
                  max_body_bytes: 65536
                  event_loops: 2
                  shutdown_grace_seconds: 10
                %s
                database:
                  url: "jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1"
                usage:
                  flush_interval_ms: 10
                  spool_dir: "%s"
                routing:
                  breaker_failures: 1000   # these tests inject faults on purpose; RoutingTest checks the breaker
                providers:
                  - name: sim-openai
                    type: openai
                    base_url: %s/v1
                    api_key: %s
                    timeouts: { first_token_ms: 1500, idle_ms: 1500 }
                  - name: sim-anthropic
                    type: anthropic
                    base_url: %s
                    api_key: %s
                    timeouts: { first_token_ms: 1500, idle_ms: 1500 }
                  - name: nowhere
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                models:
                  - name: open-model
                    deployments: [ { provider: sim-openai, model: org/open-model-v1 } ]
                    price: { input_per_mtok: 0.14, output_per_mtok: 0.28 }
                    retry: { max_attempts: 1 }
                  - name: claude-model
                    deployments: [ { provider: sim-anthropic, model: claude-upstream-1 } ]
                    price: { input_per_mtok: 3, output_per_mtok: 15, cached_input_per_mtok: 0.3 }
                    retry: { max_attempts: 1 }
                  - name: embed-model
                    deployments: [ { provider: sim-openai, model: org/embed-v1 } ]
                    price: { input_per_mtok: 0.02, output_per_mtok: 0 }
                  - name: limited-model     # a deployment of its own: a 429 cools it down, not the others
                    deployments: [ { provider: sim-openai, model: org/limited-v1 } ]
                    retry: { max_attempts: 1 }
                  - name: dead-model
                    deployments: [ { provider: nowhere, model: gone } ]
                    retry: { max_attempts: 1 }
                """.formatted(serverExtra, UUID.randomUUID(), tempSpool(), simUrl, PROVIDER_KEY, simUrl, PROVIDER_KEY, closedPort());
    }

    /**
     * {@code gantry serve} in a JVM of its own, as an operator starts it (for what an in-process
     * gateway cannot show: a kill, system properties read once per JVM), with the fixture's admin key.
     */
    static Process serveInNewJvm(Path config, Path log, String... jvmOptions) throws IOException {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.gantry.server.Main", "serve",
                "--config", config.toString()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("GANTRY_ADMIN_KEY", ADMIN_KEY);
        return builder.start();
    }

    /** A spool directory of its own: two gateways may not share one. */
    static String tempSpool() {
        try {
            Path dir = Files.createTempDirectory("gantry-spool");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closedPort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gateway's database, for tests that must reach past the API (e.g. to tamper with the audit log). */
    String databaseUrl() { return gateway.config().database().url(); }

    String url(String path) { return "http://127.0.0.1:" + gateway.port() + path; }

    HttpRequest.Builder request(String path, String key) {
        var b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
        if (key != null) b.header("authorization", "Bearer " + key);
        return b;
    }

    HttpResponse<String> post(String path, String body, String key) {
        return send(request(path, key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** As Anthropic's SDKs send it: {@code x-api-key}. */
    HttpResponse<String> postAnthropic(String path, String body, String key) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("x-api-key", key).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<Stream<String>> postStreaming(String path, String body, String key) {
        try {
            return http.send(request(path, key).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    HttpResponse<String> patch(String path, String body, String key) {
        return send(request(path, key).header("content-type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> put(String path, String body, String key) {
        return send(request(path, key).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> delete(String path, String key) {
        return send(request(path, key).DELETE().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates a key through the admin API and returns its secret. */
    String createKey(String body) {
        var response = post("/api/v1/keys", body, ADMIN_KEY);
        if (response.statusCode() != 201) throw new IllegalStateException("key creation failed: " + response.body());
        return json(response.body()).path("key").asText();
    }

    /** The usage row of a request, waiting for the recorder's batch to land. */
    JsonNode usageRow(String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            var response = get("/api/v1/usage/requests/" + requestId, ADMIN_KEY);
            if (response.statusCode() == 200) return json(response.body());
            if (System.nanoTime() > deadline) throw new AssertionError("no usage row for " + requestId + ": " + response.body());
            sleep(20);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            gateway.stop();
        } finally {
            sim.close();
        }
    }
}
