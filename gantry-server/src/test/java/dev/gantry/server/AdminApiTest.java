package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API: only admin keys, secrets shown once, clear field-level errors. */
class AdminApiTest {
    static GatewayFixture gw;

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    @Test
    void createdKeyIsShownOnceAndListedWithoutSecretOrHash() {
        var created = gw.post("/api/v1/keys", "{\"name\":\"ci bot\",\"models\":[\"open-*\"]}", ADMIN_KEY);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode key = json(created.body());
        String secret = key.path("key").asText();
        assertThat(secret).startsWith("sk-gantry-").hasSizeGreaterThanOrEqualTo(10 + 43);
        assertThat(key.path("role").asText()).isEqualTo("member");

        String listing = gw.get("/api/v1/keys", ADMIN_KEY).body();
        assertThat(listing).contains(key.path("id").asText()).doesNotContain(secret)
                .doesNotContain(dev.gantry.auth.KeySecrets.hash(secret));
        assertThat(json(listing).path("data").findValuesAsText("name")).contains("ci bot");
    }

    @Test
    void memberKeysSeeOnlyThemselvesAndNoKeyIsUnauthorized() {
        var listing = gw.get("/api/v1/keys", gw.memberKey);
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(json(listing.body()).path("data")).hasSize(1);
        assertThat(gw.post("/api/v1/keys", "{\"name\":\"x\"}", gw.memberKey).statusCode()).isEqualTo(403);
        assertThat(gw.get("/api/v1/audit", gw.memberKey).statusCode()).isEqualTo(403);
        assertThat(gw.post("/api/v1/users", "{\"email\":\"x@example.com\"}", gw.memberKey).statusCode()).isEqualTo(403);
        assertThat(gw.delete("/api/v1/keys/key_0", gw.memberKey).statusCode()).isEqualTo(404);
        assertThat(gw.get("/api/v1/keys", null).statusCode()).isEqualTo(401);
        assertThat(gw.get("/api/v1/keys", "sk-gantry-wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void onlyAnOwnerMayCreateAdminKeysAndAdminsMayNotRevokeOwners() {
        String admin = gw.createKey("{\"name\":\"an admin\",\"role\":\"admin\"}");
        assertThat(gw.post("/api/v1/keys", "{\"name\":\"x\",\"role\":\"admin\"}", admin).statusCode()).isEqualTo(403);
        String ownerId = json(gw.get("/api/v1/keys", admin).body()).path("data").findParents("role").stream()
                .filter(k -> k.path("role").asText().equals("owner")).findFirst().orElseThrow().path("id").asText();
        assertThat(gw.delete("/api/v1/keys/" + ownerId, admin).statusCode()).isEqualTo(403);
        assertThat(gw.delete("/api/v1/keys/" + ownerId, ADMIN_KEY).statusCode()).as("a key cannot revoke itself").isEqualTo(400);
    }

    @Test
    void invalidCreateRequestsNameTheField() {
        assertError(gw.post("/api/v1/keys", "{}", ADMIN_KEY), "name");
        assertError(gw.post("/api/v1/keys", "{\"name\":\"\"}", ADMIN_KEY), "name");
        assertError(gw.post("/api/v1/keys", "{\"name\":\"x\",\"model\":[\"a\"]}", ADMIN_KEY), "model");
        assertError(gw.post("/api/v1/keys", "{\"name\":\"x\",\"models\":\"a\"}", ADMIN_KEY), "models");
        assertError(gw.post("/api/v1/keys", "{\"name\":\"x\",\"role\":\"owner\"}", ADMIN_KEY), "role");
        assertError(gw.post("/api/v1/keys", "{\"name\":\"x\",\"expires_at\":\"tomorrow\"}", ADMIN_KEY), "expires_at");
        assertError(gw.post("/api/v1/keys", "{\"name\":\"x\",\"expires_at\":\"2020-01-01T00:00:00Z\"}", ADMIN_KEY), "expires_at");
        assertThat(gw.post("/api/v1/keys", "not json", ADMIN_KEY).statusCode()).isEqualTo(400);
    }

    @Test
    void expiredKeysAreRefused() throws Exception {
        String expiresAt = Instant.now().plus(1500, ChronoUnit.MILLIS).toString();
        String key = gw.createKey("{\"name\":\"brief\",\"expires_at\":\"" + expiresAt + "\"}");
        String chat = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(gw.post("/v1/chat/completions", chat, key).statusCode()).isEqualTo(200);
        Thread.sleep(1600);
        var refused = gw.post("/v1/chat/completions", chat, key);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused.body()).path("error").path("message").asText()).contains("expired");
    }

    @Test
    void revokingAnUnknownKeyIs404() {
        assertThat(gw.delete("/api/v1/keys/key_doesnotexist", ADMIN_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void usageRangeIsValidated() {
        assertError(gw.get("/api/v1/usage?from=yesterday", ADMIN_KEY), "from");
        assertError(gw.get("/api/v1/usage?from=2026-11-10&to=2026-11-01", ADMIN_KEY), "from");
        assertThat(gw.get("/api/v1/usage/requests/req_nope", ADMIN_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void openApiDocumentIsServed() {
        var doc = gw.get("/api/v1/openapi.json", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(json(doc.body()).path("openapi").asText()).startsWith("3.");
    }

    private static void assertError(java.net.http.HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("message").asText()).startsWith(field + ":");
    }
}
