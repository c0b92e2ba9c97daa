package dev.gantry.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.RunningGateway;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code gantry teams|users|budgets} and {@code keys update|rotate} against the governance admin
 * API of docs/governance.md, over HTTP to a real gateway.
 */
class CliGovernanceTest {
    static RunningGateway gw;

    @BeforeAll
    static void start() { gw = RunningGateway.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    private static Cli.Result admin(String... args) {
        var result = Cli.against(gw.url(), gw.adminKey(), args);
        assertThat(result.exitCode()).as(String.join(" ", args) + " -> " + result.err()).isZero();
        return result;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String createUser(String name) {
        return admin("users", "create", "--email", name + "@example.com", "--display-name", name, "--json")
                .json().path("id").asText();
    }

    private static String createTeam(String name) {
        return admin("teams", "create", "--name", name, "--json").json().path("id").asText();
    }

    private static String row(Cli.Result result, String id) {
        return result.out().lines().filter(l -> l.startsWith(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + id + " in\n" + result.out()));
    }

    @Test
    void teamIsCreatedListedUpdatedAndDeleted() {
        String name = unique("web");
        JsonNode team = admin("teams", "create", "--name", name, "--description", "Web apps",
                "--budget-usd", "100", "--rpm", "60", "--json").json();
        String id = team.path("id").asText();
        assertThat(id).startsWith("team_");
        assertThat(team.path("budget_usd").decimalValue()).isEqualByComparingTo("100");

        assertThat(row(admin("teams", "list"), id)).contains(name, "Web apps", "$100.00 / month", "rpm 60");
        assertThat(admin("teams", "show", id).out()).contains("name:").contains(name);

        JsonNode updated = admin("teams", "update", id, "--description", "Front end", "--budget-usd", "none", "--json").json();
        assertThat(updated.path("description").asText()).isEqualTo("Front end");
        assertThat(updated.path("budget_usd").isNull()).isTrue();
        assertThat(updated.path("rpm").asInt()).as("a field not given stays").isEqualTo(60);

        assertThat(admin("teams", "delete", id).out().strip()).isEqualTo("Deleted team " + id + ".");
        assertThat(admin("teams", "list").out()).doesNotContain(id);
    }

    @Test
    void membersAreAddedListedAndRemoved() {
        String team = createTeam(unique("platform"));
        String user = createUser(unique("bob"));

        assertThat(admin("teams", "add-member", team, user, "--role", "team_admin").out())
                .contains(user + " is in team " + team + " as team_admin.");
        assertThat(row(admin("teams", "members", team), user)).contains("team_admin");
        assertThat(admin("users", "show", user, "--json").json().path("teams").findValuesAsText("team_id")).contains(team);

        admin("teams", "remove-member", team, user);
        assertThat(admin("teams", "members", team).out()).doesNotContain(user);
    }

    @Test
    void userIsCreatedFoundUpdatedAndDeleted() {
        String name = unique("alice");
        JsonNode user = admin("users", "create", "--email", name + "@example.com", "--display-name", "Alice",
                "--role", "admin", "--budget-tokens", "1000000", "--json").json();
        String id = user.path("id").asText();
        assertThat(id).startsWith("usr_");
        assertThat(user.path("kind").asText()).isEqualTo("human");

        assertThat(row(admin("users", "list", "--search", name), id))
                .contains(name + "@example.com", "Alice", "admin", "active", "1000000 tok / month");
        assertThat(admin("users", "list", "--role", "admin", "--json").json().path("data").findValuesAsText("id")).contains(id);

        JsonNode suspended = admin("users", "update", id, "--status", "suspended", "--json").json();
        assertThat(suspended.path("status").asText()).isEqualTo("suspended");
        assertThat(admin("users", "list", "--status", "suspended", "--json").json().path("data").findValuesAsText("id")).contains(id);

        admin("users", "delete", id);
        var gone = Cli.against(gw.url(), gw.adminKey(), "users", "show", id);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("HTTP 404");
    }

    @Test
    void serviceAccountNeedsNoEmail() {
        JsonNode bot = admin("users", "create", "--display-name", unique("ci bot"), "--service-account", "--json").json();
        assertThat(bot.path("kind").asText()).isEqualTo("service");
    }

    @Test
    void keyForAUserInATeamCarriesItsLimitsAndTags() {
        String team = createTeam(unique("data"));
        String user = createUser(unique("carol"));
        admin("teams", "add-member", team, user);

        JsonNode key = admin("keys", "create", "--name", "carol laptop", "--user", user, "--team", team,
                "--budget-usd", "12.5", "--budget-period", "week", "--tpm", "100000", "--max-parallel", "4",
                "--meta", "env=dev", "--meta", "host=laptop", "--json").json();
        assertThat(key.path("user_id").asText()).isEqualTo(user);
        assertThat(key.path("team_id").asText()).isEqualTo(team);
        assertThat(key.path("budget_usd").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(key.path("budget_period").asText()).isEqualTo("week");
        assertThat(key.path("metadata").path("host").asText()).isEqualTo("laptop");

        var mine = admin("keys", "list", "--user", user);
        assertThat(row(mine, key.path("id").asText())).contains(user, team, "$12.50 / week", "tpm 100000, parallel 4");
        assertThat(admin("keys", "list", "--team", team, "--json").json().path("data").findValuesAsText("id"))
                .containsExactly(key.path("id").asText());
    }

    @Test
    void keyIsUpdatedAndRotated() {
        JsonNode key = admin("keys", "create", "--name", "to change", "--json").json();
        String id = key.path("id").asText();

        JsonNode updated = admin("keys", "update", id, "--name", "changed", "--model", "open-*", "--rpm", "10", "--json").json();
        assertThat(updated.path("name").asText()).isEqualTo("changed");
        assertThat(updated.path("models").get(0).asText()).isEqualTo("open-*");
        assertThat(updated.path("rpm").asInt()).isEqualTo(10);
        assertThat(admin("keys", "show", id).out()).contains("changed");

        var rotated = admin("keys", "rotate", id, "--grace-seconds", "60");
        assertThat(rotated.out()).contains("Secret (shown only this once").containsPattern("(?m)^  sk-gantry-\\S+$")
                .doesNotContain(key.path("key").asText());
        JsonNode again = admin("keys", "rotate", id, "--json").json();
        assertThat(again.path("key").asText()).startsWith("sk-gantry-").isNotEqualTo(key.path("key").asText());
    }

    @Test
    void budgetsAreSetOnEachScopeAndShownWithTheirSpend() {
        assertThat(admin("budgets", "set", "--scope", "org", "--budget-usd", "1000").out().strip())
                .isEqualTo("Budget of the organisation: $1000.00 / month");

        String team = createTeam(unique("ml"));
        assertThat(admin("budgets", "set", "--scope", "team", "--id", team, "--budget-tokens", "5000",
                "--budget-period", "week").out()).contains("Budget of team " + team + ": 5000 tok / week");

        JsonNode budgets = admin("budgets", "show", "--scope", "team", "--id", team, "--json").json();
        JsonNode budget = budgets.isArray() ? budgets.get(0) : budgets.path("data").get(0);
        assertThat(budget.path("budget_tokens").asLong()).isEqualTo(5000);
        assertThat(budget.path("period").asText()).isEqualTo("week");

        var table = admin("budgets", "show", "--scope", "team", "--id", team);
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("SCOPE");
        assertThat(table.out()).contains("team", team, "0 / 5000");

        String user = createUser(unique("dave"));
        admin("budgets", "set", "--scope", "user", "--id", user, "--budget-usd", "20");
        assertThat(admin("users", "show", user, "--json").json().path("budget_usd").decimalValue()).isEqualByComparingTo("20");

        String key = admin("keys", "create", "--name", "budgeted", "--json").json().path("id").asText();
        admin("budgets", "set", "--scope", "key", "--id", key, "--budget-usd", "none");
        assertThat(admin("keys", "show", key, "--json").json().path("budget_usd").isNull()).isTrue();
    }
}
