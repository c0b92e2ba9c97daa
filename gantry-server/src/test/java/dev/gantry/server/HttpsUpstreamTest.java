package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.TestCertificate;
import dev.gantry.sim.UpstreamSimulator;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model server behind https with a certificate from the company's own authority, which the JDK
 * does not know: with {@code tls.ca_file} the gateway serves it (answers, streams, health checks);
 * without, every request gets a clear 502 and nothing is sent in clear text. The same for a server
 * that admits only clients showing a certificate it knows (mutual TLS): {@code cert_file} and
 * {@code key_file}.
 */
class HttpsUpstreamTest {
    static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;
    GatewayFixture gw;

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
    }

    /**
     * @param mutual whether the server admits only clients that show the gateway's certificate
     * @param extra  the provider's further fields: {@code CA_FILE} stands for the server's certificate
     *               as PEM, {@code CERT_FILE} and {@code KEY_FILE} for the gateway's and its key
     */
    private void start(boolean mutual, String extra) {
        var server = TestCertificate.make(dir, "server", "ip:127.0.0.1");
        var gateway = TestCertificate.make(dir, "gateway", "dns:gantry.internal");
        var behaviour = SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY);
        var sim = mutual
                ? UpstreamSimulator.startTls(behaviour, server.keyCertOptions(), new PemTrustOptions().addCertPath(gateway.pem().toString()))
                : UpstreamSimulator.startTls(behaviour, server.keyCertOptions());
        String fields = extra.replace("CA_FILE", server.pem().toString()).replace("CERT_FILE", gateway.pem().toString())
                .replace("KEY_FILE", gateway.keyPem().toString());
        gw = GatewayFixture.startWith(sim, """
                providers:
                  - { name: fleet, type: openai, base_url: "%s/v1", api_key: %s%s }
                models:
                  - name: m
                    deployments: [ { provider: fleet, model: org/open-model-v1 } ]
                    retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl(), PROVIDER_KEY, fields));
    }

    @Test
    void aProviderTrustedThroughItsOwnAuthorityIsServedOverTls() throws Exception {
        start(false, ", tls: { ca_file: \"CA_FILE\" }, health_check: { path: /v1/models, interval_ms: 100 }");
        assertThat(gw.sim.baseUrl()).startsWith("https://");

        var answer = gw.post("/v1/chat/completions", CHAT, gw.memberKey);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer.body()).path("model").asText()).isEqualTo("org/open-model-v1");
        JsonNode row = gw.usageRow(answer.headers().firstValue("x-gantry-request-id").orElseThrow());
        assertThat(row.path("outcome").asText()).isEqualTo("ok");

        var stream = gw.postStreaming("/v1/chat/completions", CHAT.replace("}]}", "}],\"stream\":true}"), gw.memberKey);
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> lines = stream.body().filter(line -> line.startsWith("data: ")).toList();
        assertThat(lines).hasSizeGreaterThan(2).last().isEqualTo("data: [DONE]");

        awaitProbes(2);
        assertThat(health()).as("the health check reached the server through the same trust").isEqualTo("up");
    }

    @Test
    void withoutItsAuthorityTheProviderGetsNoRequestAndClientsAClear502() {
        start(false, "");
        assertClear502();
    }

    @Test
    void aServerThatAdmitsOnlyKnownClientsIsShownTheProvidersCertificate() throws Exception {
        start(true, ", tls: { ca_file: \"CA_FILE\", cert_file: \"CERT_FILE\", key_file: \"KEY_FILE\" },"
                + " health_check: { path: /v1/models, interval_ms: 100 }");
        var answer = gw.post("/v1/chat/completions", CHAT, gw.memberKey);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer.body()).path("model").asText()).isEqualTo("org/open-model-v1");
        awaitProbes(2);
        assertThat(health()).as("the health check showed the certificate too").isEqualTo("up");
    }

    @Test
    void withoutTheCertificateItAsksForTheClientGetsAClear502() {
        start(true, ", tls: { ca_file: \"CA_FILE\" }");
        assertClear502();
    }

    /** The handshake failed: a 502 in OpenAI's format that says so, and nothing reached the server. */
    private void assertClear502() {
        var answer = gw.post("/v1/chat/completions", CHAT, gw.memberKey);
        assertThat(answer.statusCode()).isEqualTo(502);
        JsonNode error = json(answer.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_unreachable");
        assertThat(error.path("message").asText()).contains("trusted TLS connection");
        assertThat(gw.sim.requestCount()).as("no request got past the handshake").isZero();
    }

    private String health() {
        return json(gw.get("/api/v1/deployments", ADMIN_KEY).body()).path("data").get(0).path("health_check").asText();
    }

    private void awaitProbes(int atLeast) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (gw.sim.requests().stream().filter(r -> r.path().equals("/v1/models")).count() >= atLeast) return;
            Thread.sleep(10);
        }
        throw new AssertionError("the health check never reached the server");
    }
}
