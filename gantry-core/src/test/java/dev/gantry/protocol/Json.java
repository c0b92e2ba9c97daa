package dev.gantry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A strict JSON reader for checking rewritten bodies: duplicate keys and trailing tokens fail. */
final class Json {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    static ObjectNode parse(byte[] json) {
        try {
            JsonNode node = STRICT.readTree(json);
            assertThat(node).as("a JSON object: %s", text(json)).isInstanceOf(ObjectNode.class);
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + text(json), e);
        }
    }

    static ObjectNode parse(String json) { return parse(utf8(json)); }
}
