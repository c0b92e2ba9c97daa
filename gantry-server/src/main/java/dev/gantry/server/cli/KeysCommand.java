package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry keys}: the virtual keys that apps and developers call the gateway with. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "List, create, show, update, rotate and revoke keys.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.CreateKey.class, KeysCommand.ShowKey.class,
                KeysCommand.UpdateKey.class, KeysCommand.RotateKey.class, KeysCommand.RevokeKey.class})
public final class KeysCommand {
    private KeysCommand() {}

    static String path(String id) {
        return "/keys/" + Query.encode(id);
    }

    static void printTable(JsonNode answer, PrintWriter out, Paging paging) {
        var table = new Table("ID", "NAME", "ROLE", "STATUS", "USER", "TEAM", "MODELS", "BUDGET", "LIMITS", "CREATED");
        int shown = 0;
        for (JsonNode k : Cells.items(answer)) {
            table.row(Cells.text(k, "id"), Cells.text(k, "name"), Cells.text(k, "role"), Cells.text(k, "status"),
                    Cells.text(k, "user_id"), Cells.text(k, "team_id"), Cells.text(k, "models"), Cells.budget(k),
                    Cells.limits(k), Cells.time(k, "created_at"));
            shown++;
        }
        table.print(out);
        paging.printMore(answer, shown, out);
    }

    /** The fields that creating and updating a key share. */
    static final class KeyOptions {
        @Option(names = "--team", paramLabel = "ID", description = "The team the key spends for (one of its user's teams)")
        String team;

        @Option(names = "--model", paramLabel = "PATTERN",
                description = "A model the key may use, '*' wildcards allowed; repeat for more (default: all)")
        List<String> models;

        @Option(names = "--expires-at", paramLabel = "ISO", description = "When the key stops working, e.g. 2027-01-31T00:00:00Z")
        String expiresAt;

        @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "A tag stored with the key; repeat for more")
        Map<String, String> metadata;

        ObjectNode addTo(ObjectNode body) {
            if (team != null) body.put("team_id", team);
            if (models != null) body.set("models", AdminClient.JSON.valueToTree(models));
            if (expiresAt != null) body.put("expires_at", expiresAt);
            if (metadata != null) body.set("metadata", AdminClient.JSON.valueToTree(metadata));
            return body;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys extends AdminCommand {
        @Option(names = "--user", paramLabel = "ID", description = "Only the keys of this user")
        String user;

        @Option(names = "--team", paramLabel = "ID", description = "Only the keys that spend for this team")
        String team;

        @Mixin
        Paging paging;

        @Override
        JsonNode send(AdminClient client) {
            return client.get("/keys", paging.addTo(new Query().add("user_id", user).add("team_id", team)));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            printTable(answer, out, paging);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; its secret is printed once.")
    static final class CreateKey extends AdminCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for, e.g. 'alice laptop'")
        String name;

        @Option(names = "--user", paramLabel = "ID", description = "The user the key belongs to (default: the caller)")
        String user;

        @Mixin
        KeyOptions key;

        @Mixin
        LimitOptions limits;

        @Override
        JsonNode send(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode().put("name", name);
            if (user != null) body.put("user_id", user);
            return client.post("/keys", limits.addTo(key.addTo(body), command));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            Secrets.printNewKey(answer, out);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one key.")
    static final class ShowKey extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The key's id (key_...)")
        String id;

        @Override
        JsonNode send(AdminClient client) {
            return client.get(path(id), new Query());
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a key's name, models, team, expiry, tags, budget or limits; what is not given stays.")
    static final class UpdateKey extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The key's id")
        String id;

        @Option(names = "--name", paramLabel = "NAME", description = "A new name")
        String name;

        @Mixin
        KeyOptions key;

        @Mixin
        LimitOptions limits;

        @Override
        JsonNode send(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode();
            if (name != null) body.put("name", name);
            return client.patch(path(id), limits.addTo(key.addTo(body), command));
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Give a key a new secret, printed once; the old one works for the grace period.")
    static final class RotateKey extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The key's id")
        String id;

        @Option(names = "--grace-seconds", paramLabel = "N", description = "How long the old secret keeps working (default: 0)")
        Long graceSeconds;

        @Override
        JsonNode send(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode();
            if (graceSeconds != null) body.put("grace_seconds", graceSeconds);
            return client.post(path(id) + "/rotate", body);
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            Secrets.printNewKey(answer, out);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: refused within a second, everywhere.")
    static final class RevokeKey extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The key's id")
        String id;

        @Override
        JsonNode send(AdminClient client) {
            return client.delete(path(id));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.println("Revoked key " + id + ".");
        }
    }
}
