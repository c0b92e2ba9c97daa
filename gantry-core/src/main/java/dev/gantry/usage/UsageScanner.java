package dev.gantry.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * Finds token usage in response bytes without parsing the whole response: it looks for the
 * {@code "usage"} key from the end (OpenAI and Anthropic put it last) and parses only that object.
 * Understands both vocabularies: OpenAI's {@code prompt_tokens/completion_tokens/cached_tokens}
 * and Anthropic's {@code input_tokens/output_tokens/cache_*_input_tokens} (where input_tokens
 * excludes the cached part, so the parts are added up).
 */
public final class UsageScanner {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] KEY = "\"usage\"".getBytes();
    /** Streams may carry {@code "usage":null} in every chunk; look back past that many. */
    private static final int MAX_CANDIDATES = 64;

    private UsageScanner() {}

    /** The last non-null usage object in {@code buf[from, to)}. */
    public static Optional<TokenUsage> last(byte[] buf, int from, int to) {
        int candidates = 0;
        for (int at = lastIndexOf(buf, from, to); at >= 0 && candidates++ < MAX_CANDIDATES; at = lastIndexOf(buf, from, at)) {
            var usage = objectAfterKey(buf, at + KEY.length, to);
            if (usage.isPresent()) return usage;
        }
        return Optional.empty();
    }

    /** The first non-null usage object in {@code buf[from, to)} (Anthropic's message_start). */
    public static Optional<TokenUsage> first(byte[] buf, int from, int to) {
        int candidates = 0;
        for (int at = indexOf(buf, from, to); at >= 0 && candidates++ < MAX_CANDIDATES; at = indexOf(buf, at + 1, to)) {
            var usage = objectAfterKey(buf, at + KEY.length, to);
            if (usage.isPresent()) return usage;
        }
        return Optional.empty();
    }

    /** Combines what a stream reported at its start and its end: each count is the larger one. */
    public static TokenUsage merge(TokenUsage a, TokenUsage b) {
        return new TokenUsage(Math.max(a.inputTokens(), b.inputTokens()), Math.max(a.outputTokens(), b.outputTokens()),
                Math.max(a.cachedInputTokens(), b.cachedInputTokens()), a.estimated() || b.estimated());
    }

    private static Optional<TokenUsage> objectAfterKey(byte[] buf, int pos, int to) {
        while (pos < to && (buf[pos] == ' ' || buf[pos] == ':' || buf[pos] == '\n' || buf[pos] == '\r' || buf[pos] == '\t')) pos++;
        if (pos >= to || buf[pos] != '{') return Optional.empty();
        try (JsonParser p = JSON.createParser(buf, pos, to - pos)) {
            p.nextToken();
            long prompt = -1, completion = -1, cached = 0, input = -1, output = -1, cacheRead = 0, cacheWrite = 0;
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) return Optional.empty(); // cut off at the window's end
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) depth++;
                else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) depth--;
                else if (t == JsonToken.VALUE_NUMBER_INT && p.currentName() != null) { // no name: inside an array
                    long v = p.getLongValue();
                    switch (p.currentName()) {
                        case "prompt_tokens" -> prompt = depth == 1 ? v : prompt;
                        case "completion_tokens" -> completion = depth == 1 ? v : completion;
                        case "cached_tokens" -> cached = v;
                        case "input_tokens" -> input = depth == 1 ? v : input;
                        case "output_tokens" -> output = depth == 1 ? v : output;
                        case "cache_read_input_tokens" -> cacheRead = v;
                        case "cache_creation_input_tokens" -> cacheWrite = v;
                        default -> { }
                    }
                }
            }
            if (prompt >= 0 || completion >= 0) {
                return Optional.of(new TokenUsage(Math.max(prompt, 0), Math.max(completion, 0), cached, false));
            }
            if (input >= 0 || output >= 0) {
                // Anthropic's input_tokens leaves out cache reads and writes; OpenAI's Responses API
                // counts them in input_tokens and reports cached_tokens in its details instead
                return Optional.of(new TokenUsage(Math.max(input, 0) + cacheRead + cacheWrite, Math.max(output, 0),
                        cacheRead + cached, false));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int lastIndexOf(byte[] buf, int from, int before) {
        outer:
        for (int i = before - KEY.length; i >= from; i--) {
            for (int j = 0; j < KEY.length; j++) if (buf[i + j] != KEY[j]) continue outer;
            if (i > 0 && buf[i - 1] == '\\') continue; // inside a string: \"usage\"
            return i;
        }
        return -1;
    }

    private static int indexOf(byte[] buf, int from, int to) {
        outer:
        for (int i = from; i <= to - KEY.length; i++) {
            for (int j = 0; j < KEY.length; j++) if (buf[i + j] != KEY[j]) continue outer;
            if (i > 0 && buf[i - 1] == '\\') continue;
            return i;
        }
        return -1;
    }
}
