package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --limit} and {@code --offset} of a list command, and the hint printed when there is more. */
final class Paging {
    @Option(names = "--limit", paramLabel = "N", description = "At most N items (1-1000; the API's default is 100)")
    Integer limit;

    @Option(names = "--offset", paramLabel = "N", description = "Skip the first N items")
    Integer offset;

    Query addTo(Query query) {
        return query.add("limit", limit).add("offset", offset);
    }

    /** After a table: how to get the next page, when the API says there is one. */
    void printMore(JsonNode answer, int shown, PrintWriter out) {
        if (answer.path("has_more").asBoolean(false)) {
            out.println("(more: add --offset " + ((offset == null ? 0 : offset) + shown) + ")");
        }
    }
}
