package dev.gantry.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Usage errors end with exit code 2 before any request: every run points at a port where nothing
 * listens, so a request would have ended with 1 instead.
 */
class CliUsageTest {
    private static final String NOWHERE = "http://127.0.0.1:1";

    private static Cli.Result run(String... args) {
        return Cli.against(NOWHERE, "sk-gantry-usage-test-key-0000000000", args);
    }

    @Test
    void budgetPeriodMustBeOneTheApiKnows() {
        var result = run("keys", "create", "--name", "x", "--budget-period", "year");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--budget-period: 'year' is not one of day, week, month, total");
    }

    @Test
    void amountsAndCountsAreChecked() {
        assertThat(run("teams", "create", "--name", "t", "--budget-usd", "ten").err())
                .contains("--budget-usd: 'ten' is not an amount of USD (or 'none')");
        assertThat(run("teams", "create", "--name", "t", "--rpm", "-1").exitCode()).isEqualTo(2);
    }

    @Test
    void budgetsSetNeedsAnIdExceptForTheOrganisation() {
        assertThat(run("budgets", "set", "--scope", "team", "--budget-usd", "5").err()).contains("--id is required for --scope team");
        assertThat(run("budgets", "set", "--scope", "org", "--id", "x", "--budget-usd", "5").exitCode()).isEqualTo(2);
        assertThat(run("budgets", "set", "--scope", "org").err()).contains("nothing to set");
        assertThat(run("budgets", "set", "--scope", "galaxy", "--id", "x", "--budget-usd", "5").exitCode()).isEqualTo(2);
    }

    @Test
    void rolesAndStatusesAreChecked() {
        assertThat(run("teams", "add-member", "team_a", "usr_b", "--role", "boss").err())
                .contains("--role: 'boss' is not one of member, team_admin");
        assertThat(run("users", "update", "usr_a", "--status", "gone").exitCode()).isEqualTo(2);
        assertThat(run("users", "create", "--display-name", "No Mail").err()).contains("Missing required option: '--email=EMAIL'");
    }

    @Test
    void aGroupWithoutASubcommandIsAUsageError() {
        var result = Cli.run("keys");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required subcommand");
    }

    @Test
    void aUrlThatIsNotHttpIsAUsageError() {
        var result = Cli.against("ftp://example.org", "sk-gantry-usage-test-key-0000000000", "keys", "list");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--url: 'ftp://example.org' is not an http:// or https:// address");
    }
}
