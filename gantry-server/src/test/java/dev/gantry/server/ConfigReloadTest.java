package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.ConfigLoader;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Providers and models change without a restart, and no request in flight is dropped. */
class ConfigReloadTest {
    @TempDir
    Path dir;

    private String config(String simUrl, String models) {
        return """
                server: { port: 0, host: 127.0.0.1, event_loops: 1 }
                database: { url: "jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1" }
                usage: { flush_interval_ms: 10, spool_dir: "%s" }
                providers:
                  - { name: sim, type: openai, base_url: "%s/v1", api_key: %s }
                models:
                """.formatted(dbName, dir.resolve("spool"), simUrl, PROVIDER_KEY) + models;
    }

    private final String dbName = UUID.randomUUID().toString();

    @Test
    void reloadAppliesNewModelsRefusesABadFileAndKeepsStreamsInFlight() throws Exception {
        try (var sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY))) {
            Path file = dir.resolve("gantry.yaml");
            Files.writeString(file, config(sim.baseUrl(), "  - { name: first, deployments: [ { provider: sim, model: one } ] }\n"));
            try (Gateway gateway = Gateway.start(ConfigLoader.load(file), file, Optional.of(ADMIN_KEY), System.out)) {
                var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + gateway.port();
                String key = json(send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/keys")).header("authorization", "Bearer " + ADMIN_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"k\"}")).build()).body()).path("key").asText();
                assertThat(chat(http, base, key, "first")).isEqualTo(200);
                assertThat(chat(http, base, key, "second")).isEqualTo(404);

                // a slow stream is in flight on the old configuration while the file changes
                sim.behaviour(sim.behaviour().withChunks(10).withChunkDelayMs(100));
                var stream = CompletableFuture.supplyAsync(() -> send(http, chatRequest(base, key, "first", true)));
                Thread.sleep(200);
                Files.writeString(file, config(sim.baseUrl(), """
                          - { name: first, deployments: [ { provider: sim, model: one } ] }
                          - { name: second, aliases: ["alias-*"], deployments: [ { provider: sim, model: two } ] }
                        """));
                var reload = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/config/reload"))
                        .header("authorization", "Bearer " + ADMIN_KEY).POST(HttpRequest.BodyPublishers.noBody()).build());
                assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
                assertThat(json(reload.body()).path("models").asInt()).isEqualTo(2);
                sim.behaviour(sim.behaviour().withChunks(5).withChunkDelayMs(0));
                assertThat(chat(http, base, key, "second")).isEqualTo(200);
                assertThat(chat(http, base, key, "alias-anything")).isEqualTo(200);
                HttpResponse<String> streamed = stream.get();
                assertThat(streamed.statusCode()).isEqualTo(200);
                assertThat(streamed.body()).contains("tok9").endsWith("data: [DONE]\n\n");

                // a broken file is refused and the running configuration stays
                Files.writeString(file, config(sim.baseUrl(), "  - { name: third, deployments: [ { provider: nope, model: x } ] }\n"));
                var refused = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/config/reload"))
                        .header("authorization", "Bearer " + ADMIN_KEY).POST(HttpRequest.BodyPublishers.noBody()).build());
                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat(json(refused.body()).path("error").path("message").asText()).contains("nope");
                assertThat(chat(http, base, key, "second")).isEqualTo(200);

                // the watcher applies a saved file by itself
                Files.writeString(file, config(sim.baseUrl(), "  - { name: third, deployments: [ { provider: sim, model: three } ] }\n"));
                int status = 0;
                for (int i = 0; i < 100 && status != 200; i++) {
                    Thread.sleep(50);
                    status = chat(http, base, key, "third");
                }
                assertThat(status).as("the watched file was applied").isEqualTo(200);
                assertThat(chat(http, base, key, "first")).isEqualTo(404);
            }
        }
    }

    private static HttpRequest chatRequest(String base, String key, String model, boolean stream) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
    }

    private static int chat(HttpClient http, String base, String key, String model) {
        return send(http, chatRequest(base, key, model, false)).statusCode();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
