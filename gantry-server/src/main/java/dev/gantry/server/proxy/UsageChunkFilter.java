package dev.gantry.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Removes the usage-only chunk from an OpenAI chat stream whose client did not ask for it.
 *
 * <p>The gateway always asks OpenAI-compatible upstreams for {@code stream_options.include_usage}
 * (it needs the counts), but a client that did not ask must not see the extra chunk: some clients
 * read {@code choices[0]} of every chunk and break on an empty list. The filter cuts the stream
 * into SSE events (an event may arrive split over chunks, so an incomplete tail is held back until
 * its end arrives) and drops the event whose {@code choices} is empty and whose {@code usage} is an
 * object. Only streams that need it pay for this scan, and a chunk of whole events without a usage
 * object (nearly every chunk) is passed on as it is, after one pass over its bytes.
 */
final class UsageChunkFilter {
    private static final byte[] NOTHING = new byte[0];
    private static final ObjectMapper JSON = new ObjectMapper();

    private byte[] pending = NOTHING;

    /** What of {@code chunk} (plus what was held back) can go to the client now. */
    Buffer filter(Buffer chunk) {
        byte[] in = pending.length == 0 ? chunk.getBytes() : concat(pending, chunk.getBytes());
        int end = afterLastEvent(in);
        // the common case: whole events, none with a usage object; the chunk goes on as it came
        if (pending.length == 0 && end == in.length && !hasUsageObject(in, 0, end)) return chunk;
        if (end < 0) {
            pending = in;
            return Buffer.buffer();
        }
        pending = end == in.length ? NOTHING : Arrays.copyOfRange(in, end, in.length);
        Buffer out = Buffer.buffer(end);
        int eventStart = 0;
        for (int i = 0; i < end; i++) {
            int boundary = boundaryEndingAt(in, i);
            if (boundary < 0) continue;
            if (!isUsageOnly(in, eventStart, boundary)) out.appendBytes(in, eventStart, boundary - eventStart);
            eventStart = boundary;
            i = boundary - 1;
        }
        // extra blank lines the scan above stepped over belong to no event: keep them as they were
        if (eventStart < end) out.appendBytes(in, eventStart, end - eventStart);
        return out;
    }

    /** Whatever was held back, at the end of the stream. */
    Buffer flush() {
        Buffer out = Buffer.buffer(pending);
        pending = NOTHING;
        return out;
    }

    /** If an event ends with the blank line that starts at {@code i} ("\n\n" or "\n\r\n"), the index after it. */
    private static int boundaryEndingAt(byte[] b, int i) {
        if (b[i] != '\n') return -1;
        if (i + 1 < b.length && b[i + 1] == '\n') return i + 2;
        if (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
        return -1;
    }

    private static int afterLastEvent(byte[] b) {
        for (int i = b.length - 2; i >= 0; i--) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n'))) {
                return boundaryEndingAt(b, i);
            }
        }
        return -1;
    }

    private static boolean isUsageOnly(byte[] b, int from, int to) {
        // the common case, no JSON parsing: no "usage", or "usage":null as some servers put in every chunk
        if (!hasUsageObject(b, from, to)) return false;
        String event = new String(b, from, to - from, StandardCharsets.UTF_8).strip();
        if (!event.startsWith("data:")) return false;
        try {
            JsonNode chunk = JSON.readTree(event.substring(5).strip());
            JsonNode choices = chunk.path("choices");
            return chunk.path("usage").isObject() && choices.isArray() && choices.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A {@code "usage"} key whose value is an object. Every byte of a stream passes here, so the
     * loop looks for the rare {@code 'g'} and only then at the bytes around it.
     */
    private static boolean hasUsageObject(byte[] b, int from, int to) {
        for (int i = from + 4; i < to - 2; i++) {
            if (b[i] != 'g' || b[i + 1] != 'e' || b[i + 2] != '"' || b[i - 1] != 'a' || b[i - 2] != 's' || b[i - 3] != 'u'
                    || b[i - 4] != '"') {
                continue;
            }
            int k = i + 3;
            while (k < to && (b[k] == ' ' || b[k] == ':')) k++;
            if (k < to && b[k] == '{') return true;
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
