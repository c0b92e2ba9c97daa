package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.catalog.Price;
import dev.gantry.usage.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real requests through the gateway to the simulator, then the dashboards' routes: their numbers
 * must be the sums of the usage rows those requests left (rolled up by the running gateway).
 */
class UsageAnalyticsTest {
    static GatewayFixture gw;
    static String team, user, keyId, key;
    static final List<JsonNode> rows = new ArrayList<>();

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start();
        team = created("/api/v1/teams", "{\"name\":\"analytics\"}").path("id").asText();
        user = created("/api/v1/users", "{\"email\":\"grace@example.com\",\"display_name\":\"Grace\"}").path("id").asText();
        assertThat(gw.put("/api/v1/teams/" + team + "/members/" + user, "{}", ADMIN_KEY).statusCode()).isEqualTo(200);
        JsonNode made = created("/api/v1/keys", "{\"name\":\"grace-laptop\",\"user_id\":\"" + user + "\",\"team_id\":\"" + team + "\"}");
        keyId = made.path("id").asText();
        key = made.path("key").asText();
        for (int i = 0; i < 3; i++) send("open-model", "hello number " + i, 200);
        for (int i = 0; i < 2; i++) send("claude-model", "a longer question about roll-ups, number " + i, 200);
        send("dead-model", "nobody answers", 502);
    }

    private static void send(String model, String text, int status) {
        var answer = gw.post("/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}", key);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        rows.add(gw.usageRow(answer.headers().firstValue("x-gantry-request-id").orElseThrow()));
    }

    private static JsonNode created(String path, String body) {
        var response = gw.post(path, body, ADMIN_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response.body());
    }

    @AfterAll
    static void stop() { gw.close(); }

    /** The roll-up job runs every two seconds: waits until the series counts every row. */
    static JsonNode series(String query, String callerKey) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            var response = gw.get("/api/v1/usage/series?" + query, callerKey);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = json(response.body());
            if (body.path("summary").path("requests").asLong() >= rows.size() || System.nanoTime() > deadline) return body;
            GatewayFixture.sleep(100);
        }
    }

    static long sum(String field) { return rows.stream().mapToLong(r -> r.path(field).asLong()).sum(); }

    static BigDecimal cost() { return rows.stream().map(r -> r.path("cost_usd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add); }

    static String served(JsonNode row) { return row.path("served_model").isNull() ? row.path("model").asText() : row.path("served_model").asText(); }

    @Test
    void theHourlySeriesSplitByModelAddsUpToTheRequestsSent() {
        JsonNode body = series("granularity=hour&split=model", ADMIN_KEY);
        assertThat(body.path("object").asText()).isEqualTo("usage.series");
        JsonNode summary = body.path("summary");
        assertThat(summary.path("requests").asLong()).isEqualTo(6);
        assertThat(summary.path("errors").asLong()).isEqualTo(1);
        assertThat(summary.path("input_tokens").asLong()).isEqualTo(sum("input_tokens")).isPositive();
        assertThat(summary.path("output_tokens").asLong()).isEqualTo(sum("output_tokens"));
        assertThat(summary.path("cost_usd").decimalValue()).isEqualByComparingTo(cost());
        assertThat(summary.path("latency_p50_ms").isNumber()).isTrue();

        int buckets = body.path("buckets").size();
        assertThat(buckets).isBetween(24 * 29, 24 * 31);
        var perModel = new HashMap<String, Long>();
        for (JsonNode s : body.path("series")) {
            assertThat(s.path("requests").size()).isEqualTo(buckets);
            long total = 0;
            for (JsonNode n : s.path("requests")) total += n.asLong();
            perModel.put(s.path("id").asText(), total);
        }
        assertThat(perModel).isEqualTo(Map.of("open-model", 3L, "claude-model", 2L, "dead-model", 1L));
        assertThat(body.path("latency").path("p50_ms").size()).isEqualTo(buckets);
    }

    @Test
    void theDailySeriesByTeamAndUserNamesThem() {
        series("granularity=hour", ADMIN_KEY); // rolled up
        JsonNode byTeam = series("granularity=day&split=team", ADMIN_KEY);
        assertThat(byTeam.path("series")).hasSize(1);
        assertThat(byTeam.path("series").get(0).path("id").asText()).isEqualTo(team);
        assertThat(byTeam.path("series").get(0).path("name").asText()).isEqualTo("analytics");
        JsonNode requests = byTeam.path("series").get(0).path("requests");
        assertThat(requests.get(requests.size() - 1).asLong()).as("today is the last bucket").isEqualTo(6);

        JsonNode weeks = series("granularity=week&split=user", ADMIN_KEY);
        assertThat(weeks.path("series").get(0).path("name").asText()).isEqualTo("grace@example.com");
        assertThat(weeks.path("summary").path("requests").asLong()).isEqualTo(6);
        assertThat(gw.get("/api/v1/usage/series?granularity=minute", ADMIN_KEY).statusCode()).isEqualTo(400);
    }

    @Test
    void topListsSpendersByCost() {
        series("granularity=hour", ADMIN_KEY);
        JsonNode top = json(gw.get("/api/v1/usage/top?by=model", ADMIN_KEY).body());
        assertThat(top.path("data")).extracting(n -> n.path("id").asText()).startsWith("claude-model"); // $3/$15 beats $0.14/$0.28
        JsonNode byKey = json(gw.get("/api/v1/usage/top?by=key&limit=5", ADMIN_KEY).body()).path("data");
        assertThat(byKey).hasSize(1);
        assertThat(byKey.get(0).path("id").asText()).isEqualTo(keyId);
        assertThat(byKey.get(0).path("name").asText()).isEqualTo("grace-laptop");
        assertThat(byKey.get(0).path("requests").asLong()).isEqualTo(6);
        assertThat(byKey.get(0).path("cost_usd").decimalValue()).isEqualByComparingTo(cost());
        JsonNode filtered = json(gw.get("/api/v1/usage/top?by=user&model=open-model", ADMIN_KEY).body()).path("data");
        assertThat(filtered.get(0).path("requests").asLong()).isEqualTo(3);
    }

    @Test
    void savingsPriceTheSameTokensAtTheReference() {
        series("granularity=hour", ADMIN_KEY);
        var gpt5 = new Price(1_250_000, 10_000_000, 125_000);
        long expected = rows.stream().mapToLong(r -> gpt5.costNanos(new TokenUsage(r.path("input_tokens").asLong(),
                r.path("output_tokens").asLong(), r.path("cached_input_tokens").asLong(), false))).sum();
        JsonNode savings = json(gw.get("/api/v1/usage/savings?reference=gpt-5", ADMIN_KEY).body());
        assertThat(savings.path("reference").path("model").asText()).isEqualTo("gpt-5");
        assertThat(savings.path("reference").path("as_of").asText()).isNotBlank();
        assertThat(savings.path("actual_cost_usd").decimalValue()).isEqualByComparingTo(cost());
        assertThat(savings.path("reference_cost_usd").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(expected, 9));
        assertThat(savings.path("saved_usd").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(expected, 9).subtract(cost()));
        assertThat(savings.path("models")).hasSize(3);

        var unknown = gw.get("/api/v1/usage/savings?reference=no-such-model", ADMIN_KEY);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"field\":\"reference\"");
    }

    @Test
    void theRequestLogPagesNewestFirstAndFilters() {
        List<String> sent = rows.stream().map(r -> r.path("request_id").asText()).toList().reversed();
        var seen = new ArrayList<String>();
        String after = null;
        for (int page = 0; page < 5; page++) {
            JsonNode body = json(gw.get("/api/v1/requests?limit=4" + (after == null ? "" : "&after=" + after), ADMIN_KEY).body());
            body.path("data").forEach(r -> seen.add(r.path("request_id").asText()));
            if (!body.path("has_more").asBoolean()) break;
            after = body.path("next_after").asText();
        }
        assertThat(seen).containsExactlyElementsOf(sent);

        JsonNode errors = json(gw.get("/api/v1/requests?status=error", ADMIN_KEY).body()).path("data");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("model").asText()).isEqualTo("dead-model");
        assertThat(json(gw.get("/api/v1/requests?status=502", ADMIN_KEY).body()).path("data")).hasSize(1);
        assertThat(json(gw.get("/api/v1/requests?model=claude-model&key_id=" + keyId, ADMIN_KEY).body()).path("data")).hasSize(2);
        assertThat(json(gw.get("/api/v1/requests?user_id=usr_nobody", ADMIN_KEY).body()).path("data")).isEmpty();
        assertThat(gw.get("/api/v1/requests?status=maybe", ADMIN_KEY).statusCode()).isEqualTo(400);
        assertThat(gw.get("/api/v1/requests?limit=501", ADMIN_KEY).statusCode()).isEqualTo(400);
    }

    @Test
    void pricesListTheCatalogAndConfigAndAdminsCorrectThemWithAnAuditTrail() {
        JsonNode list = json(gw.get("/api/v1/prices", key).body()).path("data");
        var sources = new HashMap<String, String>();
        list.forEach(p -> sources.put(p.path("model").asText(), p.path("source").asText()));
        assertThat(sources).containsEntry("gpt-5", "catalog").containsEntry("claude-sonnet-4-5", "catalog")
                .containsEntry("open-model", "config");

        assertThat(gw.put("/api/v1/prices/open-model", "{\"input_per_mtok\":1,\"output_per_mtok\":2}", key).statusCode()).isEqualTo(403);
        assertThat(gw.put("/api/v1/prices/open-model", "{\"input_per_mtok\":-1,\"output_per_mtok\":2}", ADMIN_KEY).statusCode())
                .isEqualTo(400);
        var set = gw.put("/api/v1/prices/open-model", "{\"input_per_mtok\":1,\"output_per_mtok\":2}", ADMIN_KEY);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set.body()).path("source").asText()).isEqualTo("admin");
        assertThat(json(set.body()).path("cached_input_per_mtok").decimalValue()).isEqualByComparingTo("1");

        series("granularity=hour", ADMIN_KEY);
        JsonNode savings = json(gw.get("/api/v1/usage/savings?reference=open-model", ADMIN_KEY).body());
        long expected = 0;
        for (JsonNode r : rows) expected += r.path("input_tokens").asLong() * 1_000 + r.path("output_tokens").asLong() * 2_000;
        assertThat(savings.path("reference_cost_usd").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(expected, 9));

        assertThat(gw.get("/api/v1/audit?action=price.set", ADMIN_KEY).body()).contains("open-model");
        assertThat(gw.delete("/api/v1/prices/open-model", key).statusCode()).isEqualTo(403);
        var removed = gw.delete("/api/v1/prices/open-model", ADMIN_KEY);
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(json(removed.body()).path("price").path("source").asText()).isEqualTo("config");
        assertThat(gw.delete("/api/v1/prices/open-model", ADMIN_KEY).statusCode()).isEqualTo(404);
        assertThat(gw.get("/api/v1/audit?action=price.delete", ADMIN_KEY).body()).contains("open-model");
    }
}
