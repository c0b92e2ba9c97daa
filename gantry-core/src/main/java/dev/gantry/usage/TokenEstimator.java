package dev.gantry.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Counts tokens with a tokenizer (o200k) when an upstream reports no usage. Open-weight models use
 * their own tokenizers, so this is an estimate, and rows built from it are marked estimated.
 * Runs off the request path: usage is estimated on the recorder's thread.
 */
public final class TokenEstimator {
    /** Fields whose string values are prose the model reads or writes. */
    private static final Set<String> TEXT_FIELDS = Set.of(
            "content", "text", "system", "input", "prompt", "arguments", "thinking", "reasoning_content", "instructions",
            "description", "partial_json",
            "delta"); // Responses API stream events carry their text as a string "delta"
    private static final JsonFactory JSON = new JsonFactory();

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    public long countText(String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /** Tokens of the prose in a JSON request or response body (messages, tool arguments...). */
    public long countJson(byte[] json, int from, int to) {
        return countText(proseOf(json, from, to, " "));
    }

    /** Tokens of the prose in the {@code data:} events of an SSE text (whole events only). */
    public long countSse(byte[] sse, int from, int to) {
        var prose = new StringBuilder();
        String text = new String(sse, from, to - from, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (!line.startsWith("data:")) continue;
            byte[] data = line.substring(5).trim().getBytes(StandardCharsets.UTF_8);
            // stream deltas are pieces of one text (" world" after "Hello"): a blank between them
            // would be counted as tokens of its own, doubling the estimate of a token-by-token stream
            prose.append(proseOf(data, 0, data.length, ""));
        }
        return countText(prose.toString());
    }

    private static String proseOf(byte[] json, int from, int to, String separator) {
        var prose = new StringBuilder();
        try (JsonParser p = JSON.createParser(json, from, to - from)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING && p.currentName() != null && TEXT_FIELDS.contains(p.currentName())) {
                    prose.append(p.getText()).append(separator);
                }
            }
        } catch (IOException e) {
            // a window may start or end mid-event: count what was readable
        }
        return prose.toString();
    }
}
