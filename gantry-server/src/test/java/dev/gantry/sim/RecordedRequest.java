package dev.gantry.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the simulator received it, for assertions on what the gateway sent upstream.
 *
 * @param method HTTP method, e.g. {@code POST}
 * @param path request path without the query string, e.g. {@code /v1/chat/completions}
 * @param headers header values by lower-case name, in the order received
 * @param body the request body as UTF-8 text ({@code ""} when there was none)
 */
public record RecordedRequest(
        String method, String path, Map<String, List<String>> headers, String body) {

    public RecordedRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers.size() * 2);
        headers.forEach((name, values) ->
                copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body parsed as JSON; fails when it is not JSON. */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("request body is not JSON: " + body, e);
        }
    }
}
