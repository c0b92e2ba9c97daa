package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Set;

/** Prints a key the API has just made (created or rotated): its fields, then the secret, labelled, once. */
final class Secrets {
    private Secrets() {}

    static void printNewKey(JsonNode answer, PrintWriter out) {
        Details.print(answer, out, Set.of("object", "key"));
        out.println();
        out.println("Secret (shown only this once; store it now, Gantry keeps only its hash):");
        out.println("  " + answer.path("key").asText());
    }
}
