package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Set;

/**
 * One resource as {@code field: value} lines, every field the API answered in its order, so that
 * {@code show} keeps up with fields added to the API without a change here.
 */
final class Details {
    private Details() {}

    /** @param hidden fields not to print (the {@code object} marker, or a secret printed on its own) */
    static void print(JsonNode resource, PrintWriter out, Set<String> hidden) {
        int width = 0;
        for (var names = resource.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!hidden.contains(name)) width = Math.max(width, name.length());
        }
        for (var names = resource.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (hidden.contains(name)) continue;
            String value = Cells.text(resource, name);
            out.println(name + ":" + " ".repeat(width - name.length() + 1) + (value == null || value.isBlank() ? "-" : value));
        }
    }

    static void print(JsonNode resource, PrintWriter out) {
        print(resource, out, Set.of("object"));
    }
}
