package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The console's log-in, session and form protection, over real HTTP: what a browser can do and
 * what a page on another site, a stolen form or a guessed token cannot.
 */
class ConsoleSecurityTest {
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([0-9a-f]+)\"");
    static GatewayFixture gw;

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    @Test
    void aPageWithoutASessionSendsTheVisitorToLogInAndBack() {
        var response = page("/ui/keys?user_id=x", null);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("location")).hasValue("/ui/login?next=%2Fui%2Fkeys%3Fuser_id%3Dx");
    }

    @Test
    void logInSetsAStrictHttpOnlyCookieThatHoldsNoKey() {
        var response = logIn(GatewayFixture.ADMIN_KEY, "/ui/keys");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("location")).hasValue("/ui/keys");
        String cookie = response.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("gantry_session=gs_").contains("SameSite=Strict", "Path=/ui")
                .doesNotContain(GatewayFixture.ADMIN_KEY).doesNotContainIgnoringCase("secure");
        assertThat(cookie.toLowerCase(java.util.Locale.ROOT)).contains("; httponly");
        assertThat(page("/ui/keys", session(response)).statusCode()).isEqualTo(200);
    }

    @Test
    void behindATlsProxyTheCookieIsSecure() {
        var response = gw.send(form("/ui/login", "key=" + enc(GatewayFixture.ADMIN_KEY), null)
                .header("x-forwarded-proto", "https").build());

        assertThat(response.headers().firstValue("set-cookie").orElseThrow()).contains("Secure");
    }

    @Test
    void aWrongKeyIsRefusedWithAnErrorOnThePage() {
        var response = logIn("sk-gantry-not-a-key", "/ui/");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("That key is not valid");
        assertThat(response.headers().firstValue("set-cookie")).isEmpty();
    }

    @Test
    void logInFromAnotherSiteIsRefused() {
        var response = gw.send(form("/ui/login", "key=" + enc(GatewayFixture.ADMIN_KEY), null)
                .header("origin", "https://evil.example").build());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("set-cookie")).isEmpty();
    }

    @Test
    void afterLogInTheVisitorIsOnlyEverSentBackIntoTheConsole() {
        assertThat(logIn(GatewayFixture.ADMIN_KEY, "https://evil.example/").headers().firstValue("location")).hasValue("/ui/");
        assertThat(logIn(GatewayFixture.ADMIN_KEY, "//evil.example/ui/").headers().firstValue("location")).hasValue("/ui/");
    }

    @Test
    void aFormWithoutTheSessionsCsrfTokenChangesNothing() {
        String session = session(logIn(GatewayFixture.ADMIN_KEY, "/ui/"));
        int keysBefore = keyCount();

        var forged = gw.send(form("/ui/keys", "name=forged", session).build());
        var wrongToken = gw.send(form("/ui/keys", "name=forged&_csrf=" + "0".repeat(32), session).build());

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(keyCount()).isEqualTo(keysBefore);
    }

    @Test
    void aFormWithTheTokenWorksAndTheAuditLogNamesTheBrowsersAddress() {
        String session = session(logIn(GatewayFixture.ADMIN_KEY, "/ui/"));
        String csrf = csrfOf(page("/ui/teams", session).body());

        var created = gw.send(form("/ui/teams", "name=console-audited&_csrf=" + csrf, session).build());

        assertThat(created.statusCode()).isEqualTo(303);
        assertThat(created.headers().firstValue("location").orElseThrow()).startsWith("/ui/teams/team_");
        JsonNode entry = GatewayFixture.json(gw.get("/api/v1/audit?action=team.create&limit=1", GatewayFixture.ADMIN_KEY).body())
                .path("data").get(0);
        assertThat(entry.path("after").path("name").asText()).isEqualTo("console-audited");
        assertThat(entry.path("address").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void aForgedBrowserAddressIsNotBelieved() {
        String session = session(logIn(GatewayFixture.ADMIN_KEY, "/ui/"));

        var response = gw.send(HttpRequest.newBuilder(URI.create(gw.url("/api/v1/teams")))
                .header("x-gantry-session", session).header("x-gantry-client", "10.9.9.9 " + "ab".repeat(32))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"forged-address\"}")).build());

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode entry = GatewayFixture.json(gw.get("/api/v1/audit?action=team.create&limit=1", GatewayFixture.ADMIN_KEY).body())
                .path("data").get(0);
        assertThat(entry.path("after").path("name").asText()).isEqualTo("forged-address");
        assertThat(entry.path("address").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void logOutEndsTheSessionForTheConsoleAndTheApi() {
        String session = session(logIn(GatewayFixture.ADMIN_KEY, "/ui/"));
        String csrf = csrfOf(page("/ui/keys", session).body());

        var out = gw.send(form("/ui/logout", "_csrf=" + csrf, session).build());

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(page("/ui/keys", session).statusCode()).isEqualTo(303);
        assertThat(apiWithSession(session).statusCode()).isEqualTo(401);
    }

    @Test
    void revokingTheKeyEndsItsSessions() {
        String secret = gw.createKey("{\"name\":\"short-lived\",\"role\":\"admin\"}");
        String session = session(logIn(secret, "/ui/"));
        assertThat(apiWithSession(session).statusCode()).isEqualTo(200);
        String id = GatewayFixture.json(gw.get("/api/v1/me", secret).body()).path("key_id").asText();

        gw.delete("/api/v1/keys/" + id, GatewayFixture.ADMIN_KEY);

        assertThat(apiWithSession(session).statusCode()).isEqualTo(401);
        assertThat(page("/ui/", session).statusCode()).isEqualTo(303);
    }

    @Test
    void theApiTellsTheConsoleWhatTheCallerMayDo() {
        JsonNode owner = GatewayFixture.json(gw.get("/api/v1/me", GatewayFixture.ADMIN_KEY).body()).path("may");
        JsonNode member = GatewayFixture.json(gw.get("/api/v1/me", gw.memberKey).body()).path("may");

        assertThat(owner.path("administer_all").asBoolean()).isTrue();
        assertThat(owner.path("read_all").asBoolean()).isTrue();
        assertThat(member.path("administer_all").asBoolean()).isFalse();
        assertThat(member.path("read_all").asBoolean()).isFalse();
        assertThat(member.path("administer_teams").asBoolean()).isFalse();
    }

    @Test
    void anEmptyKeyIsAskedForAgain() {
        var response = logIn("  ", "/ui/");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Enter your Gantry key.");
    }

    @Test
    void aFormValueTheApiRefusesIsShownWithTheApisFieldErrorAndChangesNothing() {
        String session = session(logIn(GatewayFixture.ADMIN_KEY, "/ui/"));
        String csrf = csrfOf(page("/ui/keys", session).body());
        int keysBefore = keyCount();

        var response = gw.send(form("/ui/keys", "name=bad-budget&budget_usd=lots&_csrf=" + csrf, session).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("class=\"error\"").contains("budget_usd");
        assertThat(keyCount()).isEqualTo(keysBefore);
    }

    @Test
    void aFormOverTheSizeLimitIsRefusedWithAPage() {
        String session = session(logIn(GatewayFixture.ADMIN_KEY, "/ui/"));
        String csrf = csrfOf(page("/ui/keys", session).body());

        var response = gw.send(form("/ui/keys", "_csrf=" + csrf + "&name=" + "x".repeat(70_000), session).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("too large");
    }

    @Test
    void aGuessedSessionTokenIsRefused() {
        assertThat(apiWithSession("gs_" + "A".repeat(43)).statusCode()).isEqualTo(401);
        assertThat(page("/ui/keys", "gs_" + "A".repeat(43)).statusCode()).isEqualTo(303);
    }

    @Test
    void aServiceAccountCannotLogIn() {
        String user = GatewayFixture.json(gw.post("/api/v1/users", "{\"email\":\"ci-bot@example.com\",\"kind\":\"service\"}",
                GatewayFixture.ADMIN_KEY).body()).path("id").asText();
        String secret = gw.createKey("{\"name\":\"ci\",\"user_id\":\"" + user + "\"}");

        var response = logIn(secret, "/ui/");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("service account");
    }

    @Test
    void pagesForbidScriptsFromElsewhereAndFraming() {
        var response = page("/ui/login", null);

        assertThat(response.headers().firstValue("content-security-policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    }

    @Test
    void theConsolesScriptsAreServedFromTheGateway() {
        assertThat(page("/ui/lib/htmx.org/2.0.4/dist/htmx.min.js", null).statusCode()).isEqualTo(200);
        assertThat(page("/ui/lib/uplot/1.6.30/dist/uPlot.iife.min.js", null).statusCode()).isEqualTo(200);
        assertThat(page("/ui/assets/console.js", null).body()).contains("data-chart");
    }

    // ---- helpers ----

    static HttpResponse<String> logIn(String key, String next) {
        return gw.send(form("/ui/login", "key=" + enc(key) + "&next=" + enc(next), null).build());
    }

    static HttpRequest.Builder form(String path, String body, String session) {
        var b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) b.header("cookie", "gantry_session=" + session);
        return b;
    }

    static HttpResponse<String> page(String path, String session) {
        var b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(20)).GET();
        if (session != null) b.header("cookie", "gantry_session=" + session);
        return gw.send(b.build());
    }

    static HttpResponse<String> apiWithSession(String session) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.url("/api/v1/me"))).header("x-gantry-session", session).GET().build());
    }

    static String session(HttpResponse<String> login) {
        String cookie = login.headers().firstValue("set-cookie").orElseThrow();
        return cookie.substring("gantry_session=".length(), cookie.indexOf(';'));
    }

    static String csrfOf(String html) {
        var m = CSRF.matcher(html);
        assertThat(m.find()).as("a form with a CSRF token").isTrue();
        return m.group(1);
    }

    static int keyCount() {
        return GatewayFixture.json(gw.get("/api/v1/keys?limit=1000", GatewayFixture.ADMIN_KEY).body()).path("data").size();
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
