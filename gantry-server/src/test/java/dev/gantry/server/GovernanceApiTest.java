package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Users, teams, memberships and keys through the admin API, and the audit chain that records them. */
class GovernanceApiTest {
    private static final String CHAT = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static GatewayFixture gw;

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    private static JsonNode created(String path, String body) {
        var response = gw.post(path, body, ADMIN_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response.body());
    }

    @Test
    void keysCarryTheirOwnerTeamLimitsAndTagsAndAnswerWithThem() {
        String team = created("/api/v1/teams", "{\"name\":\"ml\",\"budget_usd\":50,\"budget_period\":\"month\"}").path("id").asText();
        String user = created("/api/v1/users", "{\"email\":\"Ada@Example.com\",\"display_name\":\"Ada\"}").path("id").asText();
        assertThat(gw.put("/api/v1/teams/" + team + "/members/" + user, "{}", ADMIN_KEY).statusCode()).isEqualTo(200);
        JsonNode key = created("/api/v1/keys", "{\"name\":\"laptop\",\"user_id\":\"" + user + "\",\"team_id\":\"" + team
                + "\",\"models\":[\"open-*\"],\"budget_usd\":12.5,\"budget_tokens\":100000,\"budget_period\":\"day\","
                + "\"rpm\":60,\"tpm\":100000,\"max_parallel\":4,\"expires_at\":\"2099-01-01T00:00:00Z\","
                + "\"metadata\":{\"app\":\"claude-code\"}}");
        assertThat(key.path("user_id").asText()).isEqualTo(user);
        assertThat(key.path("team_id").asText()).isEqualTo(team);
        assertThat(key.path("budget_usd").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(key.path("budget_period").asText()).isEqualTo("day");
        assertThat(key.path("max_parallel").asInt()).isEqualTo(4);
        assertThat(key.path("metadata").path("app").asText()).isEqualTo("claude-code");

        JsonNode userView = json(gw.get("/api/v1/users/" + user, ADMIN_KEY).body());
        assertThat(userView.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(userView.path("teams").get(0).path("team_id").asText()).isEqualTo(team);

        var changed = gw.patch("/api/v1/keys/" + key.path("id").asText(), "{\"rpm\":null,\"name\":\"desk\"}", ADMIN_KEY);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(json(changed.body()).path("rpm").isNull()).isTrue();
        assertThat(json(changed.body()).path("name").asText()).isEqualTo("desk");
        assertThat(json(changed.body()).path("tpm").asInt()).as("absent fields keep their value").isEqualTo(100000);

        assertThat(gw.get("/api/v1/keys?team_id=" + team, ADMIN_KEY).body()).contains(key.path("id").asText());

        assertThat(key.path("last_used_at").isNull()).isTrue();
        var answer = gw.post("/v1/chat/completions", CHAT, key.path("key").asText());
        assertThat(answer.statusCode()).isEqualTo(200);
        gw.usageRow(answer.headers().firstValue("x-gantry-request-id").orElseThrow());
        String lastUsed = "";
        for (int i = 0; i < 100 && lastUsed.isEmpty(); i++) { // noted just after its usage row is stored
            lastUsed = json(gw.get("/api/v1/keys/" + key.path("id").asText(), ADMIN_KEY).body()).path("last_used_at").asText("");
            if (lastUsed.equals("null")) lastUsed = "";
            if (lastUsed.isEmpty()) GatewayFixture.sleep(20);
        }
        assertThat(lastUsed).startsWith(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
        assertThat(gw.get("/api/v1/keys?user_id=usr_nobody", ADMIN_KEY).body()).doesNotContain(key.path("id").asText());
    }

    @Test
    void badInputIsNamedByField() {
        assertField(gw.post("/api/v1/users", "{\"email\":\"not-an-email\"}", ADMIN_KEY), "email");
        assertField(gw.post("/api/v1/users", "{\"email\":\"x@example.com\",\"role\":\"king\"}", ADMIN_KEY), "role");
        assertField(gw.post("/api/v1/teams", "{\"name\":\"t\",\"budget_usd\":-1}", ADMIN_KEY), "budget_usd");
        assertField(gw.post("/api/v1/teams", "{\"name\":\"t\",\"budget_period\":\"fortnight\"}", ADMIN_KEY), "budget_period");
        assertField(gw.post("/api/v1/teams", "{\"name\":\"t\",\"rpm\":1.5}", ADMIN_KEY), "rpm");
        assertField(gw.get("/api/v1/users?limit=0", ADMIN_KEY), "limit");
        created("/api/v1/teams", "{\"name\":\"unique\"}");
        assertField(gw.post("/api/v1/teams", "{\"name\":\"unique\"}", ADMIN_KEY), "name");
        String user = created("/api/v1/users", "{\"email\":\"loner@example.com\"}").path("id").asText();
        String team = created("/api/v1/teams", "{\"name\":\"not-theirs\"}").path("id").asText();
        assertField(gw.post("/api/v1/keys", "{\"name\":\"k\",\"user_id\":\"" + user + "\",\"team_id\":\"" + team + "\"}", ADMIN_KEY),
                "team_id");
    }

    private static void assertField(java.net.http.HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("fields").get(0).path("field").asText()).isEqualTo(field);
    }

    @Test
    void aSuspendedUsersKeysStopAndDeletingTheUserRevokesThem() {
        String user = created("/api/v1/users", "{\"email\":\"temp@example.com\"}").path("id").asText();
        String key = created("/api/v1/keys", "{\"name\":\"k\",\"user_id\":\"" + user + "\"}").path("key").asText();
        assertThat(gw.post("/v1/chat/completions", CHAT, key).statusCode()).isEqualTo(200);
        assertThat(gw.patch("/api/v1/users/" + user, "{\"status\":\"suspended\"}", ADMIN_KEY).statusCode()).isEqualTo(200);
        var refused = gw.post("/v1/chat/completions", CHAT, key);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("suspended");
        assertThat(gw.patch("/api/v1/users/" + user, "{\"status\":\"active\"}", ADMIN_KEY).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", CHAT, key).statusCode()).isEqualTo(200);
        assertThat(gw.delete("/api/v1/users/" + user, ADMIN_KEY).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", CHAT, key).statusCode()).isEqualTo(401);
    }

    @Test
    void aRotatedKeysOldSecretWorksThroughItsGraceOnly() {
        JsonNode key = created("/api/v1/keys", "{\"name\":\"rotating\"}");
        String old = key.path("key").asText();
        var rotated = gw.post("/api/v1/keys/" + key.path("id").asText() + "/rotate", "{\"grace_seconds\":60}", ADMIN_KEY);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String fresh = json(rotated.body()).path("key").asText();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(gw.post("/v1/chat/completions", CHAT, fresh).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", CHAT, old).statusCode()).as("within the grace").isEqualTo(200);
        var again = gw.post("/api/v1/keys/" + key.path("id").asText() + "/rotate", "{}", ADMIN_KEY);
        assertThat(gw.post("/v1/chat/completions", CHAT, old).statusCode()).as("a second rotation ends the first grace").isEqualTo(401);
        assertThat(gw.post("/v1/chat/completions", CHAT, fresh).statusCode()).as("no grace asked").isEqualTo(401);
        assertThat(gw.post("/v1/chat/completions", CHAT, json(again.body()).path("key").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void everyChangeIsAuditedWithoutSecretsAndTamperingIsFound() throws Exception {
        JsonNode key = created("/api/v1/keys", "{\"name\":\"audited\"}");
        String secret = key.path("key").asText();
        gw.patch("/api/v1/keys/" + key.path("id").asText(), "{\"name\":\"audited-2\"}", ADMIN_KEY);

        String log = gw.get("/api/v1/audit?target_id=" + key.path("id").asText(), ADMIN_KEY).body();
        JsonNode entries = json(log).path("data");
        assertThat(entries.findValuesAsText("action")).containsExactly("key.update", "key.create");
        assertThat(entries.get(0).path("before").path("name").asText()).isEqualTo("audited");
        assertThat(entries.get(0).path("after").path("name").asText()).isEqualTo("audited-2");
        assertThat(entries.get(0).path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(log).doesNotContain(secret).doesNotContain(dev.gantry.auth.KeySecrets.hash(secret));
        assertThat(json(gw.post("/api/v1/audit/verify", "{}", ADMIN_KEY).body()).path("valid").asBoolean()).isTrue();

        long seq = entries.get(1).path("seq").asLong();
        try (var c = java.sql.DriverManager.getConnection(gw.databaseUrl());
             var s = c.prepareStatement("UPDATE audit_log SET after_json = REPLACE(after_json, 'audited', 'innocent') WHERE seq = ?")) {
            s.setLong(1, seq);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        JsonNode verdict = json(gw.post("/api/v1/audit/verify", "{}", ADMIN_KEY).body());
        assertThat(verdict.path("valid").asBoolean()).isFalse();
        assertThat(verdict.path("first_broken_seq").asLong()).isEqualTo(seq);
    }
}
