package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code gantry budgets}: what each budget allows, has spent and holds reserved this period, and
 * setting a budget on whichever scope carries it (the organisation, a team, a user or a key).
 */
@Command(name = "budgets", mixinStandardHelpOptions = true, description = "Show budgets and their spend; set a budget.",
        subcommands = {BudgetsCommand.ShowBudgets.class, BudgetsCommand.SetBudget.class})
public final class BudgetsCommand {
    private BudgetsCommand() {}

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Budgets with their spend this period.")
    static final class ShowBudgets extends AdminCommand {
        @Option(names = "--scope", paramLabel = "SCOPE", description = "key, user, team or org (default: every budget you may read)")
        String scope;

        @Option(names = "--id", paramLabel = "ID", description = "The key, user or team")
        String id;

        @Override
        JsonNode send(AdminClient client) {
            Choices.require(command, "--scope", scope, Choices.SCOPES);
            return client.get("/budgets", new Query().add("scope", scope).add("id", id));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            var table = new Table("SCOPE", "ID", "PERIOD", "USD SPENT / BUDGET", "RESERVED", "TOKENS SPENT / BUDGET", "RESETS");
            for (JsonNode b : Cells.items(answer)) {
                table.row(Cells.text(b, "scope"), Cells.text(b, "id"), Cells.text(b, "period"),
                        ofBudget(Cells.usd(b, "spent_usd"), Cells.usd(b, "budget_usd")), Cells.usd(b, "reserved_usd"),
                        ofBudget(Cells.text(b, "spent_tokens"), Cells.text(b, "budget_tokens")), Cells.time(b, "resets_at"));
            }
            table.print(out);
        }

        private static String ofBudget(String spent, String budget) {
            if (budget == null) return spent == null ? null : spent + " / none";
            return (spent == null ? "0" : spent) + " / " + budget;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set the budget of the organisation, a team, a user or a key; 'none' removes one.")
    static final class SetBudget extends AdminCommand {
        @Option(names = "--scope", required = true, paramLabel = "SCOPE", description = "org, team, user or key")
        String scope;

        @Option(names = "--id", paramLabel = "ID", description = "The team, user or key (not for org)")
        String id;

        @Mixin
        BudgetOptions budget;

        @Override
        JsonNode send(AdminClient client) {
            Choices.require(command, "--scope", scope, Choices.SCOPES);
            if (scope.equals("org") != (id == null)) {
                throw new ParameterException(command.commandLine(),
                        scope.equals("org") ? "--id: the organisation has no id; leave it out" : "--id is required for --scope " + scope);
            }
            var body = budget.addTo(AdminClient.JSON.createObjectNode(), command);
            if (body.isEmpty()) {
                throw new ParameterException(command.commandLine(), "nothing to set: give --budget-usd, --budget-tokens or --budget-period");
            }
            String path = switch (scope) {
                case "org" -> "/org";
                case "team" -> TeamsCommand.path(id);
                case "user" -> UsersCommand.path(id);
                default -> KeysCommand.path(id);
            };
            return client.patch(path, body);
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.println("Budget of " + (id == null ? "the organisation" : scope + " " + id) + ": "
                    + (Cells.budget(answer) == null ? "none" : Cells.budget(answer)));
        }
    }
}
