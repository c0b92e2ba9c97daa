package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code gantry users}: people and service accounts, their organisation role, budgets and limits. */
@Command(name = "users", mixinStandardHelpOptions = true, description = "List, create, show, update and delete users.",
        subcommands = {UsersCommand.ListUsers.class, UsersCommand.CreateUser.class, UsersCommand.ShowUser.class,
                UsersCommand.UpdateUser.class, UsersCommand.DeleteUser.class})
public final class UsersCommand {
    private UsersCommand() {}

    static String path(String id) {
        return "/users/" + Query.encode(id);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static final class ListUsers extends AdminCommand {
        @Option(names = "--search", paramLabel = "TEXT", description = "Only users whose email or name contains TEXT")
        String search;

        @Option(names = "--team", paramLabel = "ID", description = "Only members of this team")
        String team;

        @Option(names = "--status", paramLabel = "STATUS", description = "active or suspended")
        String status;

        @Option(names = "--role", paramLabel = "ROLE", description = "owner, admin, member or viewer")
        String role;

        @Mixin
        Paging paging;

        @Override
        JsonNode send(AdminClient client) {
            Choices.require(command, "--status", status, Choices.USER_STATUSES);
            Choices.require(command, "--role", role, Choices.ORG_ROLES);
            var query = new Query().add("search", search).add("team_id", team).add("status", status).add("role", role);
            return client.get("/users", paging.addTo(query));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            var table = new Table("ID", "EMAIL", "NAME", "KIND", "ROLE", "STATUS", "BUDGET", "LIMITS", "CREATED");
            int shown = 0;
            for (JsonNode u : Cells.items(answer)) {
                table.row(Cells.text(u, "id"), Cells.text(u, "email"), Cells.text(u, "display_name"), Cells.text(u, "kind"),
                        Cells.text(u, "role"), Cells.text(u, "status"), Cells.budget(u), Cells.limits(u),
                        Cells.time(u, "created_at"));
                shown++;
            }
            table.print(out);
            paging.printMore(answer, shown, out);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user or a service account.")
    static final class CreateUser extends AdminCommand {
        @Option(names = "--email", paramLabel = "EMAIL", description = "The user's email (unique; optional for a service account)")
        String email;

        @Option(names = "--display-name", required = true, paramLabel = "NAME", description = "The name shown for the user")
        String displayName;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "member",
                description = "owner, admin, member or viewer (default: ${DEFAULT-VALUE})")
        String role;

        @Option(names = "--service-account", description = "A user that apps use; it cannot log in to the console")
        boolean serviceAccount;

        @Mixin
        LimitOptions limits;

        @Override
        JsonNode send(AdminClient client) {
            if (email == null && !serviceAccount) {
                throw new ParameterException(command.commandLine(), "Missing required option: '--email=EMAIL' (only a service account may have none)");
            }
            ObjectNode body = AdminClient.JSON.createObjectNode().put("display_name", displayName)
                    .put("role", Choices.require(command, "--role", role, Choices.ORG_ROLES))
                    .put("kind", serviceAccount ? "service" : "human");
            if (email != null) body.put("email", email);
            return client.post("/users", limits.addTo(body, command));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one user, with their teams.")
    static final class ShowUser extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The user's id (usr_...)")
        String id;

        @Override
        JsonNode send(AdminClient client) {
            return client.get(path(id), new Query());
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a user's name, status, role, budget or limits; what is not given stays.")
    static final class UpdateUser extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The user's id")
        String id;

        @Option(names = "--display-name", paramLabel = "NAME", description = "A new display name")
        String displayName;

        @Option(names = "--status", paramLabel = "STATUS", description = "active or suspended (a suspended user's keys are refused)")
        String status;

        @Option(names = "--role", paramLabel = "ROLE", description = "owner, admin, member or viewer")
        String role;

        @Mixin
        LimitOptions limits;

        @Override
        JsonNode send(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode();
            if (displayName != null) body.put("display_name", displayName);
            if (status != null) body.put("status", Choices.require(command, "--status", status, Choices.USER_STATUSES));
            if (role != null) body.put("role", Choices.require(command, "--role", role, Choices.ORG_ROLES));
            return client.patch(path(id), limits.addTo(body, command));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user and revoke their keys.")
    static final class DeleteUser extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The user's id")
        String id;

        @Override
        JsonNode send(AdminClient client) {
            return client.delete(path(id));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.println("Deleted user " + id + " and revoked their keys.");
        }
    }
}
