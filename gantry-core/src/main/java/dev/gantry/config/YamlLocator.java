package dev.gantry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/**
 * Finds the line of a field in the configuration text, so that a semantic error found after
 * binding (a model naming a missing provider) can point at its line like a syntax error does.
 */
final class YamlLocator {
    private static final YAMLFactory YAML = new YAMLFactory();
    private final String text;

    YamlLocator(String text) { this.text = text; }

    /** Line of the value at {@code pointer} (e.g. {@code /models/1/deployments/0/provider}), or 0. */
    int lineOf(String pointer) {
        try (JsonParser p = YAML.createParser(text)) {
            int lastMatch = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                String here = p.getParsingContext().pathAsPointer().toString();
                if (here.equals(pointer)) return p.currentTokenLocation().getLineNr();
                // a parent's start, not its end: the end of a mapping is often the end of the file
                if (pointer.startsWith(here + "/") && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
                    lastMatch = p.currentTokenLocation().getLineNr();
                }
            }
            return lastMatch; // the field is missing: point at its closest parent
        } catch (IOException e) {
            return 0;
        }
    }

    /** {@code /models/1/provider} as people read it: {@code models[1].provider}. */
    static String readable(String pointer) {
        var out = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            if (part.chars().allMatch(Character::isDigit) && !part.isEmpty()) out.append('[').append(part).append(']');
            else out.append(out.isEmpty() ? "" : ".").append(part);
        }
        return out.toString();
    }
}
