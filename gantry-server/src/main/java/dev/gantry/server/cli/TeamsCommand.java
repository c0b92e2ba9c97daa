package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry teams}: teams, their budgets and limits, and who is in them. */
@Command(name = "teams", mixinStandardHelpOptions = true,
        description = "List, create, show, update and delete teams; list, add and remove members.",
        subcommands = {TeamsCommand.ListTeams.class, TeamsCommand.CreateTeam.class, TeamsCommand.ShowTeam.class,
                TeamsCommand.UpdateTeam.class, TeamsCommand.DeleteTeam.class, TeamsCommand.ListMembers.class,
                TeamsCommand.AddMember.class, TeamsCommand.RemoveMember.class})
public final class TeamsCommand {
    private TeamsCommand() {}

    static String path(String id) {
        return "/teams/" + Query.encode(id);
    }

    static String memberPath(String team, String user) {
        return path(team) + "/members/" + Query.encode(user);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List teams.")
    static final class ListTeams extends AdminCommand {
        @Option(names = "--search", paramLabel = "TEXT", description = "Only teams whose name contains TEXT")
        String search;

        @Mixin
        Paging paging;

        @Override
        JsonNode send(AdminClient client) {
            return client.get("/teams", paging.addTo(new Query().add("search", search)));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            var table = new Table("ID", "NAME", "DESCRIPTION", "BUDGET", "LIMITS", "CREATED");
            int shown = 0;
            for (JsonNode t : Cells.items(answer)) {
                table.row(Cells.text(t, "id"), Cells.text(t, "name"), Cells.text(t, "description"), Cells.budget(t),
                        Cells.limits(t), Cells.time(t, "created_at"));
                shown++;
            }
            table.print(out);
            paging.printMore(answer, shown, out);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a team.")
    static final class CreateTeam extends AdminCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The team's name (unique)")
        String name;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the team is")
        String description;

        @Mixin
        LimitOptions limits;

        @Override
        JsonNode send(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode().put("name", name);
            if (description != null) body.put("description", description);
            return client.post("/teams", limits.addTo(body, command));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one team.")
    static final class ShowTeam extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The team's id (team_...)")
        String id;

        @Override
        JsonNode send(AdminClient client) {
            return client.get(path(id), new Query());
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a team's name, description, budget or limits; what is not given stays.")
    static final class UpdateTeam extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The team's id")
        String id;

        @Option(names = "--name", paramLabel = "NAME", description = "A new name")
        String name;

        @Option(names = "--description", paramLabel = "TEXT", description = "A new description")
        String description;

        @Mixin
        LimitOptions limits;

        @Override
        JsonNode send(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode();
            if (name != null) body.put("name", name);
            if (description != null) body.put("description", description);
            return client.patch(path(id), limits.addTo(body, command));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a team.")
    static final class DeleteTeam extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The team's id")
        String id;

        @Override
        JsonNode send(AdminClient client) {
            return client.delete(path(id));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.println("Deleted team " + id + ".");
        }
    }

    @Command(name = "members", mixinStandardHelpOptions = true, description = "List a team's members.")
    static final class ListMembers extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The team's id")
        String id;

        @Override
        JsonNode send(AdminClient client) {
            return client.get(path(id) + "/members", new Query());
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            var table = new Table("USER", "ROLE", "ADDED");
            for (JsonNode m : Cells.items(answer)) {
                table.row(Cells.text(m, "user_id"), Cells.text(m, "role"), Cells.time(m, "created_at"));
            }
            table.print(out);
        }
    }

    @Command(name = "add-member", mixinStandardHelpOptions = true,
            description = "Add a user to a team, or change their role in it.")
    static final class AddMember extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TEAM", description = "The team's id")
        String team;

        @Parameters(index = "1", paramLabel = "USER", description = "The user's id")
        String user;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "member",
                description = "member or team_admin (default: ${DEFAULT-VALUE})")
        String role;

        @Override
        JsonNode send(AdminClient client) {
            Choices.require(command, "--role", role, Choices.TEAM_ROLES);
            return client.put(memberPath(team, user), AdminClient.JSON.createObjectNode().put("role", role));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.println(user + " is in team " + team + " as " + role + ".");
        }
    }

    @Command(name = "remove-member", mixinStandardHelpOptions = true, description = "Take a user out of a team.")
    static final class RemoveMember extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TEAM", description = "The team's id")
        String team;

        @Parameters(index = "1", paramLabel = "USER", description = "The user's id")
        String user;

        @Override
        JsonNode send(AdminClient client) {
            return client.delete(memberPath(team, user));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.println("Removed " + user + " from team " + team + ".");
        }
    }
}
