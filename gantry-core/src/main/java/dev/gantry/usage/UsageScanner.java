package dev.gantry.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
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
    private static final int[] BACK_SHIFT = backShift();
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

    /** The usage object that follows a key at {@code pos}, read by the plain reader or, where it cannot, by Jackson. */
    static Optional<TokenUsage> objectAfterKey(byte[] buf, int pos, int to) {
        while (pos < to && (buf[pos] == ' ' || buf[pos] == ':' || buf[pos] == '\n' || buf[pos] == '\r' || buf[pos] == '\t')) pos++;
        if (pos >= to || buf[pos] != '{') return Optional.empty();
        var reader = new UsageObjectReader(buf, pos, to);
        return switch (reader.read()) {
            case UsageObjectReader.READ -> usage(reader.prompt, reader.completion, reader.cached, reader.input, reader.output,
                    reader.cacheRead, reader.cacheWrite);
            case UsageObjectReader.CUT_OFF -> Optional.empty();
            default -> readWithJackson(buf, pos, to);
        };
    }

    /** The same as {@link UsageObjectReader}, for what it leaves to Jackson. */
    static Optional<TokenUsage> readWithJackson(byte[] buf, int pos, int to) {
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
            return usage(prompt, completion, cached, input, output, cacheRead, cacheWrite);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<TokenUsage> usage(long prompt, long completion, long cached, long input, long output,
            long cacheRead, long cacheWrite) {
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
    }

    /**
     * Searches backwards, Horspool's way: a window that does not match moves by as much as its
     * first byte allows, seven bytes for most bytes, since the key sits some hundreds of bytes
     * before the end of every answer.
     */
    private static int lastIndexOf(byte[] buf, int from, int before) {
        int i = before - KEY.length;
        while (i >= from) {
            if (matchesAt(buf, i) && !(i > 0 && buf[i - 1] == '\\')) return i; // \"usage\" is inside a string
            i -= BACK_SHIFT[buf[i] & 0xff];
        }
        return -1;
    }

    private static boolean matchesAt(byte[] buf, int i) {
        for (int j = 0; j < KEY.length; j++) if (buf[i + j] != KEY[j]) return false;
        return true;
    }

    /** For each byte, how far left the key can move when a window starts with it: to that byte's first place after the key's start. */
    private static int[] backShift() {
        int[] shift = new int[256];
        Arrays.fill(shift, KEY.length);
        for (int k = KEY.length - 1; k >= 1; k--) shift[KEY[k] & 0xff] = k;
        return shift;
    }

    private static int indexOf(byte[] buf, int from, int to) {
        for (int i = from; i <= to - KEY.length; i++) {
            if (!matchesAt(buf, i)) continue;
            if (i > 0 && buf[i - 1] == '\\') continue;
            return i;
        }
        return -1;
    }
}
