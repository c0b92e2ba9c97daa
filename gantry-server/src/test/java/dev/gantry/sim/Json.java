package dev.gantry.sim;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON helpers. Requests are read into Jackson trees (the simulator is not the system under
 * test); responses are written by hand into a {@link StringBuilder}, which keeps field order and
 * spelling exactly as the real servers send them and costs no reflection per request.
 */
final class Json {
    /** Shared and thread-safe once configured. Enum names are read case-insensitively so that
     * {@code "fault":"cut_mid_stream"} works in a hand-written {@code SIM{...}}. */
    static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();

    private Json() {}

    /** Appends {@code value} as a JSON string literal, quotes included; null becomes {@code null}. */
    static StringBuilder quote(StringBuilder out, String value) {
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        return out.append('"');
    }

    /** {@code value} as a JSON string literal. */
    static String quote(String value) {
        return quote(new StringBuilder(value == null ? 4 : value.length() + 8), value).toString();
    }
}
