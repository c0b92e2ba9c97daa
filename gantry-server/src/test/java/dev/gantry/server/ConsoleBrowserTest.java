package dev.gantry.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser against a real gateway and the upstream simulator: an admin sets
 * up a team, a user and a key; the key's requests show on the dashboard, in the request log and
 * in the savings; revoking the key makes its requests fail. A member, meanwhile, cannot open
 * anyone else's pages by URL.
 */
class ConsoleBrowserTest {
    static GatewayFixture gw;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start();
        browser = ConsoleBrowser.launch();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (gw != null) gw.close();
    }

    @Test
    void anAdminSetsUpATeamAUserAndAKeyThenWatchesTheKeysSpendAndRevokesIt() {
        Page page = browser.newPage();
        try {
            adminJourney(page);
        } catch (AssertionError | RuntimeException e) {
            ConsoleBrowser.screenshot(page, "failed-admin-journey");
            throw e;
        }
    }

    private static void adminJourney(Page page) {
        logIn(page, GatewayFixture.ADMIN_KEY);
        assertThat(page.locator("h1")).hasText("Dashboard");
        String savedBefore = page.locator("#total-saved").innerText();
        ConsoleBrowser.screenshot(page, "01-dashboard-empty");

        // a team
        open(page, "Teams", "Teams");
        page.getByLabel("Name").fill("Platform");
        page.getByLabel("Description").fill("Builds the platform");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create team")).click();
        assertThat(page.locator("h1")).hasText("Team Platform");
        assertThat(page.locator(".notice")).containsText("The team is created");
        String teamUrl = page.url();

        // a user, made a member of the team
        open(page, "Users", "Users");
        page.getByLabel("Email").fill("alice@example.com");
        page.getByLabel("Display name").fill("Alice");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create user")).click();
        assertThat(page.locator("h1")).hasText("User alice@example.com");
        String userId = page.url().replaceAll(".*/ui/users/([^?]+).*", "$1");
        page.navigate(teamUrl);
        page.locator("select[name=user_id]").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("alice@example.com"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add or change member")).click();
        assertThat(page.locator("table").first()).containsText(userId);
        ConsoleBrowser.screenshot(page, "02-team");

        // a key for the user: shown once
        open(page, "Keys", "Keys");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("alice-laptop");
        page.getByLabel("For user (id)").fill(userId);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        assertThat(page.locator("h2#shown-once")).isVisible();
        String key = page.locator("#new-key-secret").inputValue();
        assertThat(key).startsWith("sk-gantry-");
        assertThat(page.locator(".agents")).containsText("ANTHROPIC_AUTH_TOKEN=" + key);
        ConsoleBrowser.screenshot(page, "03-key-created");

        // the key's requests
        for (int i = 0; i < 3; i++) assertThat(chat(key, "open-model").statusCode()).isEqualTo(200);
        assertThat(chat(key, "claude-model").statusCode()).isEqualTo(200);

        // on the dashboard (once rolled up), in the log, in the savings
        eventually(() -> {
            page.navigate(gw.url("/ui/"));
            return page.locator("#total-requests").innerText();
        }, "4", page);
        assertThat(page.locator(".chart canvas").first()).isVisible();
        assertThat(page.locator(".tops")).containsText("alice@example.com");
        assertThat(page.locator("#total-saved").innerText()).isNotEqualTo(savedBefore);
        ConsoleBrowser.screenshot(page, "04-dashboard");

        open(page, "Requests", "Requests");
        assertThat(page.locator("#request-log tbody tr")).hasCount(4);
        assertThat(page.locator("#request-log")).containsText("open-model");
        ConsoleBrowser.screenshot(page, "05-requests");
        page.locator("#request-log tbody tr a").first().click();
        assertThat(page.locator("dl.details")).containsText(userId);
        assertThat(page.locator("dl.details")).containsText("sim-");
        ConsoleBrowser.screenshot(page, "06-request-detail");

        open(page, "Savings", "Savings");
        assertThat(page.locator("#saved")).not().containsText("$0.0000");
        assertThat(page.locator("table")).containsText("open-model");
        ConsoleBrowser.screenshot(page, "07-savings");

        // revoke: the key stops working
        open(page, "Keys", "Keys");
        page.locator("tr:has-text('alice-laptop')").getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions()
                .setName("Revoke")).click();
        assertThat(page.locator(".notice")).containsText("revoked");
        assertThat(page.locator("tr:has-text('alice-laptop') .badge")).hasText("revoked");
        var refused = chat(key, "open-model");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("revoked");
        ConsoleBrowser.screenshot(page, "08-key-revoked");

        // the other pages render
        open(page, "Models", "Models and deployments");
        assertThat(page.locator("#deployments")).containsText("open-model");
        ConsoleBrowser.screenshot(page, "09-models");
        open(page, "Audit", "Audit log");
        assertThat(page.locator("table")).containsText("key.revoke");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify the chain")).click();
        assertThat(page.locator("#verify-result")).containsText("Intact");
        ConsoleBrowser.screenshot(page, "10-audit");
        open(page, "Prices", "Price catalog");
        assertThat(page.locator("table")).containsText("open-model");
        ConsoleBrowser.screenshot(page, "11-prices");
        open(page, "Connect", "Connect your agent");
        assertThat(page.locator(".agents")).containsText("ANTHROPIC_BASE_URL=" + gw.url(""));
        ConsoleBrowser.screenshot(page, "12-connect");
    }

    @Test
    void aMemberSeesOnlyTheirOwnThingsAndCannotOpenOthersPagesByUrl() {
        String alice = GatewayFixture.json(gw.post("/api/v1/users", "{\"email\":\"alice2@example.com\"}", GatewayFixture.ADMIN_KEY).body())
                .path("id").asText();
        String bob = GatewayFixture.json(gw.post("/api/v1/users", "{\"email\":\"bob@example.com\"}", GatewayFixture.ADMIN_KEY).body())
                .path("id").asText();
        String team = GatewayFixture.json(gw.post("/api/v1/teams", "{\"name\":\"alice-only\"}", GatewayFixture.ADMIN_KEY).body())
                .path("id").asText();
        gw.put("/api/v1/teams/" + team + "/members/" + alice, "{\"role\":\"member\"}", GatewayFixture.ADMIN_KEY);
        String aliceKey = gw.createKey("{\"name\":\"alice-key\",\"user_id\":\"" + alice + "\"}");
        String bobKey = gw.createKey("{\"name\":\"bob-key\",\"user_id\":\"" + bob + "\"}");
        var aliceRequest = chat(aliceKey, "open-model");
        String aliceRequestId = aliceRequest.headers().firstValue("x-gantry-request-id").orElseThrow();

        Page page = browser.newPage();
        logIn(page, bobKey);
        ConsoleBrowser.screenshot(page, "19-member-dashboard");
        assertThat(page.locator("nav")).not().containsText("Users");
        assertThat(page.locator("nav")).not().containsText("Audit");

        open(page, "Keys", "Keys");
        assertThat(page.locator("table")).containsText("bob-key");
        assertThat(page.locator("table")).not().containsText("alice-key");

        // what they may not read does not exist for them (404); what only admins may open says so (403)
        var refusals = java.util.Map.of("/ui/users/" + alice, 404, "/ui/teams/" + team, 404, "/ui/audit", 403, "/ui/models", 403,
                "/ui/keys/" + aliceKeyId(aliceKey), 404);
        refusals.forEach((url, status) -> {
            var response = page.navigate(gw.url(url));
            assertThat(response.status()).as(url).isEqualTo(status);
            assertThat(page.locator(".error")).isVisible();
        });
        var request = page.navigate(gw.url("/ui/requests/" + aliceRequestId));
        assertThat(request.status()).isEqualTo(404);
        page.navigate(gw.url("/ui/requests"));
        assertThat(page.locator("#request-log")).not().containsText(aliceRequestId);
        ConsoleBrowser.screenshot(page, "20-member-forbidden");
    }

    /** Follows a menu entry and waits for its page (htmx swaps it in after the click returns); every field has a label. */
    private static void open(Page page, String menuEntry, String title) {
        page.locator("nav").getByText(menuEntry, new com.microsoft.playwright.Locator.GetByTextOptions().setExact(true)).click();
        assertThat(page.locator("h1")).hasText(title);
        assertThat(ConsoleBrowser.unlabelledFields(page)).as("fields without a label on " + title).isZero();
    }

    private static String aliceKeyId(String key) {
        return GatewayFixture.json(gw.get("/api/v1/me", key).body()).path("key_id").asText();
    }

    private static void logIn(Page page, String key) {
        page.navigate(gw.url("/ui/"));
        assertThat(page).hasURL(Pattern.compile(".*/ui/login.*"));
        page.getByLabel("Key").fill(key);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/$"));
    }

    @Test
    void onAPhoneThePagesFitTheScreen() {
        Page page = browser.newPhonePage();
        logIn(page, GatewayFixture.ADMIN_KEY);
        for (String url : new String[] {"/ui/", "/ui/keys", "/ui/requests", "/ui/savings"}) {
            page.navigate(gw.url(url));
            assertThat(ConsoleBrowser.overflowingElements(page)).as(url).isEmpty();
        }
        page.navigate(gw.url("/ui/"));
        ConsoleBrowser.screenshot(page, "30-phone-dashboard");
    }

    private static java.net.http.HttpResponse<String> chat(String key, String model) {
        return gw.post("/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello from the console test\"}]}", key);
    }

    private static void eventually(Supplier<String> read, String expected, Page page) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            if (expected.equals(last)) return;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        ConsoleBrowser.screenshot(page, "failed-waiting");
        assertThat(last).isEqualTo(expected);
    }
}
