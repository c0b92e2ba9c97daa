package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig;
import dev.gantry.crypto.SecretCipher;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Provider keys stored through the admin API: encrypted at rest, used at once, never shown in an
 * answer, the audit log or the logs, and a gateway that cannot read them refuses to start.
 */
class ProviderKeysTest {
    private static final String REAL_KEY = "sk-upstream-real-" + UUID.randomUUID();
    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a secret prompt\"}]}";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aStoredKeyIsEncryptedUsedAtOnceAndNeverShown() throws Exception {
        var masterKey = SecretCipher.fromBase64(SecretCipher.newMasterKey());
        var captured = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        try (var sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(REAL_KEY))) {
            GatewayConfig config = config(sim.baseUrl());
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (Gateway gw = Gateway.start(config, null, Optional.of(ADMIN_KEY), Optional.of(masterKey), originalOut)) {
                assertThat(call(gw, "POST", "/v1/chat/completions", CHAT).statusCode())
                        .as("the file's key is wrong").isEqualTo(401);
                var stored = call(gw, "PUT", "/api/v1/providers/sim/api-key", "{\"api_key\":\"" + REAL_KEY + "\"}");
                assertThat(stored.statusCode()).isEqualTo(200);
                assertThat(stored.body()).doesNotContain(REAL_KEY);
                assertThat(call(gw, "POST", "/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
                assertThat(call(gw, "PUT", "/api/v1/providers/nope/api-key", "{\"api_key\":\"x\"}").statusCode()).isEqualTo(404);
                assertThat(call(gw, "GET", "/api/v1/audit", null).body()).contains("provider.api_key.set").doesNotContain(REAL_KEY);
                try (var c = DriverManager.getConnection(config.database().url());
                     var rs = c.createStatement().executeQuery("SELECT ciphertext FROM provider_secrets WHERE provider = 'sim'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).startsWith("v1:").doesNotContain(REAL_KEY);
                    assertThat(masterKey.decrypt(rs.getString(1))).isEqualTo(REAL_KEY);
                }
            } finally {
                System.setOut(originalOut);
            }
            assertThat(captured.toString(StandardCharsets.UTF_8)).as("the access log was captured").contains("\"request_id\"")
                    .doesNotContain(REAL_KEY).doesNotContain(ADMIN_KEY).doesNotContain("a secret prompt");

            assertThatThrownBy(() -> Gateway.start(config, null, Optional.of(ADMIN_KEY), Optional.empty(), originalOut))
                    .hasMessageContaining("GANTRY_MASTER_KEY is not set");
            var wrong = SecretCipher.fromBase64(SecretCipher.newMasterKey());
            assertThatThrownBy(() -> Gateway.start(config, null, Optional.of(ADMIN_KEY), Optional.of(wrong), originalOut))
                    .hasMessageContaining("does not decrypt").hasMessageNotContaining(REAL_KEY);
            try (Gateway again = Gateway.start(config, null, Optional.of(ADMIN_KEY), Optional.of(masterKey), originalOut)) {
                assertThat(call(again, "POST", "/v1/chat/completions", CHAT).statusCode()).as("kept across restarts").isEqualTo(200);
                assertThat(call(again, "DELETE", "/api/v1/providers/sim/api-key", null).statusCode()).isEqualTo(200);
                assertThat(call(again, "POST", "/v1/chat/completions", CHAT).statusCode()).as("the file's key again").isEqualTo(401);
            }
        }
    }

    @Test
    void withoutAMasterKeyNothingIsStored() {
        try (var sim = UpstreamSimulator.start(SimBehaviour.healthy());
             Gateway gw = Gateway.start(config(sim.baseUrl()), null, Optional.of(ADMIN_KEY), Optional.empty(), System.out)) {
            var refused = call(gw, "PUT", "/api/v1/providers/sim/api-key", "{\"api_key\":\"sk-x\"}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("GANTRY_MASTER_KEY");
        }
    }

    private static GatewayConfig config(String simUrl) {
        return ConfigLoader.parse("""
                server: { port: 0, host: 127.0.0.1, event_loops: 1 }
                database: { url: "jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1" }
                usage: { flush_interval_ms: 10, spool_dir: "%s" }
                providers:
                  - { name: sim, type: openai, base_url: "%s/v1", api_key: sk-wrong-key-in-the-file }
                models:
                  - { name: m, deployments: [ { provider: sim, model: up-m } ], retry: { max_attempts: 1 } }
                """.formatted(UUID.randomUUID(), GatewayFixture.tempSpool(), simUrl), "test.yaml", name -> null);
    }

    private HttpResponse<String> call(Gateway gw, String method, String path, String body) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + path))
                .header("authorization", "Bearer " + ADMIN_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
