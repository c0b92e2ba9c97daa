package dev.gantry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** Key metadata as the JSON object text the metadata column holds, keys sorted so that equal tags store alike. */
final class TagsJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> TAGS = new TypeReference<>() {};

    private TagsJson() {}

    static String write(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("string tags always serialise", e);
        }
    }

    static Map<String, String> read(String json) {
        if (json == null || json.isBlank()) return Map.of();
        try {
            return JSON.readValue(json, TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("key metadata is not a JSON object of strings: " + json, e);
        }
    }
}
