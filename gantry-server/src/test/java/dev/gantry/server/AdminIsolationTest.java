package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One team never sees another's data. Team A's admin, team A's member and a viewer try every
 * admin route the OpenAPI document lists, aimed at team B's team, user, key and request; none of
 * them may read B's data or change anything of B's. The same routes aimed at A's own things work
 * for A's admin, so the refusals are the rules at work and not a broken route.
 */
class AdminIsolationTest {
    private static final String CHAT = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static GatewayFixture gw;
    static Side a, b;
    static String viewerKey;

    /** One team's things. */
    record Side(String team, String admin, String adminKey, String member, String memberKey, String memberKeyId, String requestId) {
        List<String> ids() { return List.of(team, admin, member, memberKeyId, requestId); }
    }

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start();
        a = side("a");
        b = side("b");
        String viewer = create("/api/v1/users", "{\"email\":\"viewer@example.com\",\"role\":\"viewer\"}").path("id").asText();
        viewerKey = create("/api/v1/keys", "{\"name\":\"viewer\",\"user_id\":\"" + viewer + "\"}").path("key").asText();
    }

    private static Side side(String name) {
        String team = create("/api/v1/teams", "{\"name\":\"team-" + name + "\"}").path("id").asText();
        String admin = create("/api/v1/users", "{\"email\":\"admin-" + name + "@example.com\"}").path("id").asText();
        String member = create("/api/v1/users", "{\"email\":\"member-" + name + "@example.com\"}").path("id").asText();
        assertThat(gw.put("/api/v1/teams/" + team + "/members/" + admin, "{\"role\":\"team_admin\"}", ADMIN_KEY).statusCode()).isEqualTo(200);
        assertThat(gw.put("/api/v1/teams/" + team + "/members/" + member, "{}", ADMIN_KEY).statusCode()).isEqualTo(200);
        String adminKey = create("/api/v1/keys", "{\"name\":\"admin\",\"user_id\":\"" + admin + "\",\"team_id\":\"" + team + "\"}")
                .path("key").asText();
        JsonNode memberKey = create("/api/v1/keys", "{\"name\":\"member\",\"user_id\":\"" + member + "\",\"team_id\":\"" + team + "\"}");
        var answer = gw.post("/v1/chat/completions", CHAT, memberKey.path("key").asText());
        assertThat(answer.statusCode()).isEqualTo(200);
        String requestId = answer.headers().firstValue("x-gantry-request-id").orElseThrow();
        gw.usageRow(requestId);
        return new Side(team, admin, adminKey, member, memberKey.path("key").asText(), memberKey.path("id").asText(), requestId);
    }

    private static JsonNode create(String path, String body) {
        var response = gw.post(path, body, ADMIN_KEY);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(201);
        return json(response.body());
    }

    @AfterAll
    static void stop() { gw.close(); }

    @Test
    void noOneOfTeamAReadsOrChangesAnythingOfTeamBThroughAnyRoute() {
        List<String[]> routes = documentedAdminRoutes();
        assertThat(routes).hasSizeGreaterThan(25);
        var leaks = new ArrayList<String>();
        for (String caller : List.of(a.adminKey(), a.memberKey(), viewerKey)) {
            for (String[] route : routes) {
                String method = route[0], path = aimedAt(route[1], b);
                var response = call(method, path, bodyFor(method, route[1], b), caller);
                int status = response.statusCode();
                boolean refused = status == 401 || status == 403 || status == 404 || status == 400;
                boolean readOnly = method.equals("GET") || route[1].equals("/api/v1/audit/verify");
                boolean changed = status >= 200 && status < 300 && !readOnly;
                boolean saw = status == 200 && b.ids().stream().anyMatch(response.body()::contains);
                String who = caller.equals(a.adminKey()) ? "team A's admin" : caller.equals(a.memberKey()) ? "team A's member" : "a viewer";
                if (caller.equals(viewerKey) && readOnly && !refused) continue; // a viewer reads everything
                if (!refused && (changed || saw)) leaks.add(who + ": " + method + " " + path + " -> " + status + " " + response.body());
            }
        }
        assertThat(leaks).isEmpty();

        // B is as it was: its member is still in it, its key still works, its limits unchanged
        assertThat(gw.get("/api/v1/teams/" + b.team() + "/members", ADMIN_KEY).body()).contains(b.member());
        assertThat(gw.post("/v1/chat/completions", CHAT, b.memberKey()).statusCode()).isEqualTo(200);
        assertThat(json(gw.get("/api/v1/teams/" + b.team(), ADMIN_KEY).body()).path("rpm").isNull()).isTrue();
        assertThat(json(gw.get("/api/v1/users/" + b.member(), ADMIN_KEY).body()).path("status").asText()).isEqualTo("active");
    }

    @Test
    void teamAsAdminManagesTeamAsOwnThingsThroughTheSameRoutes() {
        String key = a.adminKey();
        assertThat(gw.get("/api/v1/teams/" + a.team(), key).statusCode()).isEqualTo(200);
        assertThat(gw.patch("/api/v1/teams/" + a.team(), "{\"description\":\"ours\"}", key).statusCode()).isEqualTo(200);
        assertThat(gw.get("/api/v1/users/" + a.member(), key).statusCode()).isEqualTo(200);
        assertThat(gw.patch("/api/v1/users/" + a.member(), "{\"rpm\":1000}", key).statusCode()).isEqualTo(200);
        assertThat(gw.get("/api/v1/keys", key).body()).contains(a.memberKeyId());
        assertThat(gw.get("/api/v1/usage/requests/" + a.requestId(), key).statusCode()).isEqualTo(200);
        assertThat(gw.get("/api/v1/budgets?scope=team&id=" + a.team(), key).statusCode()).isEqualTo(200);
        var made = gw.post("/api/v1/keys", "{\"name\":\"for a member\",\"user_id\":\"" + a.member() + "\"}", key);
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(gw.delete("/api/v1/keys/" + json(made.body()).path("id").asText(), key).statusCode()).isEqualTo(200);
        // but a team admin changes limits only, not roles
        assertThat(gw.patch("/api/v1/users/" + a.member(), "{\"role\":\"admin\"}", key).statusCode()).isEqualTo(403);
    }

    @Test
    void aMemberManagesOnlyTheirOwnKeys() {
        var made = gw.post("/api/v1/keys", "{\"name\":\"mine\"}", a.memberKey());
        assertThat(made.statusCode()).isEqualTo(201);
        JsonNode key = json(made.body());
        assertThat(key.path("user_id").asText()).isEqualTo(a.member());
        var rotated = gw.post("/api/v1/keys/" + key.path("id").asText() + "/rotate", "{}", a.memberKey());
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", CHAT, json(rotated.body()).path("key").asText()).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", CHAT, key.path("key").asText()).statusCode())
                .as("a rotation without grace ends the old secret at once").isEqualTo(401);
        assertThat(gw.get("/api/v1/keys", a.memberKey()).body()).doesNotContain(a.admin()).contains(key.path("id").asText());
        assertThat(gw.post("/api/v1/keys", "{\"name\":\"x\",\"user_id\":\"" + a.admin() + "\"}", a.memberKey()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void analyticsCountOnlyTheUsageOfKeysTheCallerMayRead() {
        List<JsonNode> all = new ArrayList<>();
        json(gw.get("/api/v1/requests?limit=500", ADMIN_KEY).body()).path("data").forEach(all::add);
        assertThat(all).anyMatch(r -> r.path("key_id").asText().equals(b.memberKeyId()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (summary(ADMIN_KEY).path("requests").asLong() < all.size() && System.nanoTime() < deadline) GatewayFixture.sleep(100);
        assertThat(summary(ADMIN_KEY).path("requests").asLong()).as("rolled up").isEqualTo(all.size());
        assertThat(summary(viewerKey).path("requests").asLong()).isEqualTo(all.size());

        for (String caller : List.of(a.memberKey(), a.adminKey())) {
            var readable = new java.util.HashSet<String>();
            json(gw.get("/api/v1/keys", caller).body()).path("data").forEach(k -> readable.add(k.path("id").asText()));
            assertThat(readable).contains(a.memberKeyId()).doesNotContain(b.memberKeyId());
            List<JsonNode> theirs = all.stream().filter(r -> readable.contains(r.path("key_id").asText())).toList();
            assertThat(theirs).isNotEmpty().hasSizeLessThan(all.size());
            java.math.BigDecimal cost = theirs.stream().map(r -> r.path("cost_usd").decimalValue())
                    .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);

            assertThat(summary(caller).path("requests").asLong()).isEqualTo(theirs.size());
            assertThat(summary(caller).path("cost_usd").decimalValue()).isEqualByComparingTo(cost);
            JsonNode byTeam = json(gw.get("/api/v1/usage/top?by=team", caller).body()).path("data");
            assertThat(byTeam).extracting(t -> t.path("id").asText()).containsExactly(a.team());
            assertThat(byTeam.get(0).path("requests").asLong()).isEqualTo(theirs.size());
            // asking for B's team by name narrows, never widens
            assertThat(json(gw.get("/api/v1/usage/top?by=key&team_id=" + b.team(), caller).body()).path("data")).isEmpty();
            assertThat(json(gw.get("/api/v1/usage/series?split=key&key_id=" + b.memberKeyId(), caller).body())
                    .path("summary").path("requests").asLong()).isZero();
            JsonNode log = json(gw.get("/api/v1/requests?limit=500", caller).body()).path("data");
            assertThat(log).hasSize(theirs.size()).allMatch(r -> readable.contains(r.path("key_id").asText()));
            assertThat(json(gw.get("/api/v1/requests?key_id=" + b.memberKeyId(), caller).body()).path("data")).isEmpty();
            assertThat(json(gw.get("/api/v1/usage/savings", caller).body()).path("actual_cost_usd").decimalValue())
                    .isEqualByComparingTo(cost);
        }
    }

    private static JsonNode summary(String key) {
        var response = gw.get("/api/v1/usage/series?granularity=hour", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body()).path("summary");
    }

    private static String aimedAt(String path, Side side) {
        return path.replace("/teams/{id}", "/teams/" + side.team()).replace("/users/{id}", "/users/" + side.member())
                .replace("/keys/{id}", "/keys/" + side.memberKeyId()).replace("{userId}", side.member())
                .replace("{requestId}", side.requestId()).replace("{name}", "sim-openai")
                .replace("{model}", "open-model");
    }

    /** Bodies that would change something of B's if the route let them through. */
    private static String bodyFor(String method, String path, Side side) {
        if (method.equals("GET") || method.equals("DELETE")) return null;
        if (path.equals("/api/v1/keys")) return "{\"name\":\"intruder\",\"user_id\":\"" + side.member() + "\"}";
        if (path.equals("/api/v1/users")) return "{\"email\":\"intruder@example.com\",\"role\":\"admin\"}";
        if (path.equals("/api/v1/teams")) return "{\"name\":\"intruders\"}";
        if (path.endsWith("/members/{userId}")) return "{\"role\":\"team_admin\"}";
        if (path.endsWith("/rotate") || path.endsWith("/verify") || path.endsWith("/reload")) return "{}";
        return "{\"rpm\":1}";
    }

    private static HttpResponse<String> call(String method, String path, String body, String key) {
        var request = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return gw.send(request.build());
    }

    private static List<String[]> documentedAdminRoutes() {
        JsonNode paths = json(gw.get("/api/v1/openapi.json", null).body()).path("paths");
        var routes = new ArrayList<String[]>();
        paths.fieldNames().forEachRemaining(path -> {
            if (!path.startsWith("/api/v1/") || path.equals("/api/v1/openapi.json")) return;
            paths.path(path).fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) routes.add(new String[] {method.toUpperCase(java.util.Locale.ROOT), path});
            });
        });
        return routes;
    }
}
