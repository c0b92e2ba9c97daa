package dev.gantry.translate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import java.io.IOException;

/** The Jackson plumbing of the translations: one mapper, lenient reads, compact writes. */
public final class TranslationJson {
    /** Request bodies are bounded by the server's size limit; base64 images make long strings legitimate. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private TranslationJson() {}

    public static ObjectNode object() { return MAPPER.createObjectNode(); }

    public static ArrayNode array() { return MAPPER.createArrayNode(); }

    /** The client's request, known by the server to be a JSON object. */
    public static ObjectNode request(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node instanceof ObjectNode object) return object;
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.INVALID_JSON, "The request body is not valid JSON.");
        }
        throw new GatewayException(ErrorCode.INVALID_JSON, "The request body must be a JSON object.");
    }

    /** An upstream JSON document, or an {@code UPSTREAM_INVALID_RESPONSE} failure naming what was expected. */
    public static JsonNode upstream(byte[] body, String what) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node != null && node.isObject()) return node;
        } catch (IOException e) {
            // reported below
        }
        throw new GatewayException(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The upstream answer is not " + what + ".");
    }

    /** A parsed value, or null when the text is not JSON. */
    public static JsonNode parseOrNull(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** The string value, or null when the node is missing or not a string. */
    public static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** The fields of {@code request} not in {@code handled}: what a translation drops, for its debug log. */
    public static java.util.List<String> unhandledFields(ObjectNode request, java.util.Set<String> handled) {
        var dropped = new java.util.ArrayList<String>();
        for (var names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!handled.contains(name)) dropped.add(name);
        }
        return dropped;
    }
}
