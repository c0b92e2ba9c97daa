package dev.gantry.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that makes one admin-API call and prints the answer, as a table or text for people or
 * as the API's JSON with {@code --json}. The one place where failures become exit codes: 1 with
 * the reason on stderr for an API error or an unreachable gateway; usage errors (a
 * {@code ParameterException}) are left to picocli, which answers 2.
 */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec command;

    /** Checks the options and makes the call; the answer is what gets printed. */
    abstract JsonNode send(AdminClient client);

    /** Prints a successful answer for a person: by default one resource as {@code field: value} lines. */
    void print(JsonNode answer, PrintWriter out) {
        Details.print(answer, out);
    }

    @Override
    public final Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        try (AdminClient client = connection.client(command)) {
            JsonNode answer = send(client);
            if (!connection.json()) {
                print(answer, out);
            } else if (!answer.isMissingNode()) {
                out.println(pretty(answer));
            }
            return 0;
        } catch (AdminException e) {
            err.println("gantry: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static String pretty(JsonNode answer) {
        try {
            return AdminClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer);
        } catch (JsonProcessingException e) { // a tree that was just parsed always writes back
            throw new IllegalStateException(e);
        }
    }
}
