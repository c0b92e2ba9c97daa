package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one database: a key created on one works on the other, and a key revoked on one
 * is refused by the other within a second, though neither asks the database per request.
 */
class KeyRevocationAcrossReplicasTest {

    @Test
    void revocationOnOneReplicaReachesTheOtherWithinASecond() throws Exception {
        try (GatewayFixture first = GatewayFixture.start()) {
            GatewayConfig secondConfig = ConfigLoader.parse("server: { port: 0, host: 127.0.0.1, event_loops: 1 }\n"
                    + "usage: { spool_dir: \"" + GatewayFixture.tempSpool() + "\" }\n",
                    "second.yaml", name -> null).withDatabase(first.gateway.config().database());
            try (Gateway second = Gateway.start(secondConfig, Optional.of(ADMIN_KEY), System.out)) {
                var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String key = first.createKey("{\"name\":\"roaming\"}");
                HttpRequest onSecond = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port() + "/v1/models"))
                        .header("authorization", "Bearer " + key).build();
                assertThat(http.send(onSecond, HttpResponse.BodyHandlers.ofString()).statusCode())
                        .as("a key created on the first replica works on the second").isEqualTo(200);

                String id = json(first.get("/api/v1/keys", ADMIN_KEY).body()).path("data").findParents("name").stream()
                        .filter(k -> k.path("name").asText().equals("roaming")).findFirst().orElseThrow().path("id").asText();
                assertThat(first.delete("/api/v1/keys/" + id, ADMIN_KEY).statusCode()).isEqualTo(200);
                long revokedAt = System.nanoTime();

                int status = 200;
                while (status == 200 && System.nanoTime() - revokedAt < 3_000_000_000L) {
                    status = http.send(onSecond, HttpResponse.BodyHandlers.ofString()).statusCode();
                    if (status == 200) Thread.sleep(20);
                }
                long tookMillis = (System.nanoTime() - revokedAt) / 1_000_000;
                assertThat(status).isEqualTo(401);
                // the cache polls every 500 ms; the slack is for a loaded test machine
                assertThat(tookMillis).as("revocation reached the other replica").isLessThan(1_500);
            }
        }
    }
}
