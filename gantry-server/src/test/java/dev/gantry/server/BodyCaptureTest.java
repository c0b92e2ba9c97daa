package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import dev.gantry.sim.UpstreamSimulator;
import dev.gantry.store.Database;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prompt and completion capture: off by default; once a team turns it on, its keys' requests keep
 * exactly what the client sent and what it received (streams too), cut at 1 MB; other teams' keys
 * keep nothing, and only those who may read a request see its bodies.
 */
class BodyCaptureTest {
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([0-9a-f]+)\"");

    static GatewayFixture gw;
    static Database db;
    static String capturing, capturingAdminKey, capturingKey, other, otherKey;

    @BeforeAll
    static void start() {
        var sim = UpstreamSimulator.start(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY));
        gw = GatewayFixture.startWith(sim, """
                providers:
                  - { name: sim-openai, type: openai, base_url: "%s/v1", api_key: %s }
                models:
                  - name: open-model
                    deployments: [ { provider: sim-openai, model: org/open-model-v1 } ]
                    retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl(), PROVIDER_KEY));
        db = Database.open(gw.gateway.config().database());
        capturing = create("/api/v1/teams", "{\"name\":\"capturing\"}").path("id").asText();
        other = create("/api/v1/teams", "{\"name\":\"other\"}").path("id").asText();
        String admin = user("admin@example.com", capturing, "team_admin");
        String member = user("member@example.com", capturing, "member");
        String outsider = user("outsider@example.com", other, "member");
        capturingAdminKey = key(admin, capturing);
        capturingKey = key(member, capturing);
        otherKey = key(outsider, other);
    }

    @AfterAll
    static void stop() {
        db.close();
        gw.close();
    }

    @Test
    void captureIsOffByDefaultAndOnlyATeamAdminTurnsItOn() {
        String team = create("/api/v1/teams", "{\"name\":\"fresh\"}").path("id").asText();
        assertThat(json(gw.get("/api/v1/teams/" + team, ADMIN_KEY).body()).path("capture_bodies").asBoolean(true)).isFalse();
        assertThat(gw.patch("/api/v1/teams/" + team, "{\"capture_bodies\":\"yes\"}", ADMIN_KEY).body())
                .contains("capture_bodies", "must be a boolean");
        assertThat(gw.patch("/api/v1/teams/" + capturing, "{\"capture_bodies\":true}", capturingKey).statusCode()).isEqualTo(403);

        String freshKey = key(user("fresh@example.com", team, "member"), team);
        String requestId = chat(freshKey, "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"not kept\"}]}");
        JsonNode row = gw.usageRow(requestId);
        assertThat(row.path("request_body").isNull()).isTrue();
        assertThat(row.path("bodies_truncated").isNull()).isTrue();
        assertThat(storedBodies(requestId)).isZero();
    }

    @Test
    void aCapturingTeamKeepsExactlyWhatWasSentAndReceived() {
        turnOn();
        String prompt = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"<b>capture me</b> é 🚀\"}]}";
        var answer = gw.post("/v1/chat/completions", prompt, capturingKey);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode row = bodiesOf(id(answer), ADMIN_KEY);
        assertThat(row.path("request_body").asText()).isEqualTo(prompt);
        assertThat(row.path("response_body").asText()).isEqualTo(answer.body());
        assertThat(row.path("bodies_truncated").asBoolean(true)).isFalse();

        String streamed = "{\"model\":\"open-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"stream it\"}]}";
        var stream = gw.post("/v1/chat/completions", streamed, capturingKey);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("data: ", "[DONE]");
        JsonNode streamRow = bodiesOf(id(stream), capturingAdminKey);
        assertThat(streamRow.path("request_body").asText()).isEqualTo(streamed);
        assertThat(streamRow.path("response_body").asText()).isEqualTo(stream.body());

        // the list of requests carries no bodies; another team's member cannot read the request at all
        assertThat(gw.get("/api/v1/requests?team_id=" + capturing, ADMIN_KEY).body()).contains(id(answer))
                .doesNotContain("capture me", "request_body");
        assertThat(gw.get("/api/v1/usage/requests/" + id(answer), otherKey).statusCode()).isEqualTo(404);
        // the change was audited with the team's views before and after
        assertThat(gw.get("/api/v1/audit?limit=200", ADMIN_KEY).body()).contains("\"capture_bodies\":true");
    }

    @Test
    void anotherTeamsKeyStoresNothing() {
        turnOn();
        String theirs = chat(otherKey, "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"private\"}]}");
        String ours = chat(capturingKey, "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"kept\"}]}");
        bodiesOf(ours, ADMIN_KEY); // the capturing request's bodies landed; the other's, ended before it, never will
        assertThat(gw.usageRow(theirs).path("request_body").isNull()).isTrue();
        assertThat(storedBodies(theirs)).isZero();
    }

    @Test
    void aBodyOverOneMegabyteIsCutAndFlagged() {
        turnOn();
        String prompt = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(1_100_000) + "\"}]}";
        String requestId = chat(capturingKey, prompt);
        JsonNode row = bodiesOf(requestId, ADMIN_KEY);
        assertThat(row.path("request_body").asText()).hasSize(1_000_000).isEqualTo(prompt.substring(0, 1_000_000));
        assertThat(row.path("bodies_truncated").asBoolean()).isTrue();
    }

    @Test
    void theConsoleShowsTheBodiesAndItsTeamFormTurnsCaptureOffAndOn() {
        turnOn();
        String requestId = chat(capturingKey,
                "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"<b>console prompt</b>\"}]}");
        bodiesOf(requestId, ADMIN_KEY);
        String session = logIn();
        String page = page("/ui/requests/" + requestId, session).body();
        assertThat(page).contains("&lt;b&gt;console prompt&lt;/b&gt;").doesNotContain("<b>console prompt</b>")
                .doesNotContain("Bodies are not captured");

        String teamPage = page("/ui/teams/" + capturing, session).body();
        assertThat(teamPage).contains("Capture prompt and completion bodies");
        String csrf = csrfOf(teamPage);
        assertThat(form("/ui/teams/" + capturing, "_csrf=" + csrf + "&name=capturing&capture_bodies_shown=1", session).statusCode())
                .isEqualTo(303);
        assertThat(json(gw.get("/api/v1/teams/" + capturing, ADMIN_KEY).body()).path("capture_bodies").asBoolean(true)).isFalse();
        String notKept = chat(capturingKey, "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"gone\"}]}");
        gw.usageRow(notKept);
        assertThat(page("/ui/requests/" + notKept, session).body()).contains("Bodies are not captured for this request");

        form("/ui/teams/" + capturing, "_csrf=" + csrf + "&name=capturing&capture_bodies_shown=1&capture_bodies=1", session);
        assertThat(json(gw.get("/api/v1/teams/" + capturing, ADMIN_KEY).body()).path("capture_bodies").asBoolean()).isTrue();
    }

    // ---- helpers ----

    /** Turns capture on for the capturing team, as its team admin, and waits for the data plane to see it. */
    static void turnOn() {
        var changed = gw.patch("/api/v1/teams/" + capturing, "{\"capture_bodies\":true}", capturingAdminKey);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(json(changed.body()).path("capture_bodies").asBoolean()).isTrue();
    }

    static String chat(String key, String body) {
        var answer = gw.post("/v1/chat/completions", body, key);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return id(answer);
    }

    static String id(HttpResponse<String> answer) {
        return answer.headers().firstValue("x-gantry-request-id").orElseThrow();
    }

    /** The request's detail once its bodies were stored (they land a moment after the answer). */
    static JsonNode bodiesOf(String requestId, String key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            var response = gw.get("/api/v1/usage/requests/" + requestId, key);
            if (response.statusCode() == 200 && !json(response.body()).path("request_body").isNull()) return json(response.body());
            if (System.nanoTime() > deadline) throw new AssertionError("no bodies for " + requestId + ": " + response.body());
            GatewayFixture.sleep(20);
        }
    }

    static long storedBodies(String requestId) {
        try (var c = db.dataSource().getConnection();
             var ps = c.prepareStatement("SELECT COUNT(*) FROM request_bodies WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode create(String path, String body) {
        var response = gw.post(path, body, ADMIN_KEY);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(201);
        return json(response.body());
    }

    static String user(String email, String team, String role) {
        String id = create("/api/v1/users", "{\"email\":\"" + email + "\"}").path("id").asText();
        assertThat(gw.put("/api/v1/teams/" + team + "/members/" + id, "{\"role\":\"" + role + "\"}", ADMIN_KEY).statusCode())
                .isEqualTo(200);
        return id;
    }

    static String key(String user, String team) {
        return create("/api/v1/keys", "{\"name\":\"k\",\"user_id\":\"" + user + "\",\"team_id\":\"" + team + "\"}").path("key").asText();
    }

    static String logIn() {
        var login = form("/ui/login", "key=" + enc(ADMIN_KEY) + "&next=" + enc("/ui/"), null);
        String cookie = login.headers().firstValue("set-cookie").orElseThrow();
        return cookie.substring("gantry_session=".length(), cookie.indexOf(';'));
    }

    static HttpResponse<String> form(String path, String body, String session) {
        var b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) b.header("cookie", "gantry_session=" + session);
        return gw.send(b.build());
    }

    static HttpResponse<String> page(String path, String session) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(20))
                .header("cookie", "gantry_session=" + session).GET().build());
    }

    static String csrfOf(String html) {
        var m = CSRF.matcher(html);
        assertThat(m.find()).as("a form with a CSRF token").isTrue();
        return m.group(1);
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
