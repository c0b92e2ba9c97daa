package dev.gantry.server.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A URL query string built from options, leaving out the ones that were not given. */
final class Query {
    private final List<String> pairs = new ArrayList<>();

    Query add(String name, Object value) {
        if (value != null) pairs.add(encode(name) + "=" + encode(value.toString()));
        return this;
    }

    /** {@code ?a=1&b=2}, or the empty string when nothing was added. */
    @Override
    public String toString() {
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    /** Percent-encodes a query value or a path segment (an id typed by the user may hold anything). */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
