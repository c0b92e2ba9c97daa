package dev.gantry.server.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Removes the usage-only chunk from an OpenAI chat stream whose client did not ask for it.
 *
 * <p>The gateway always asks OpenAI-compatible upstreams for {@code stream_options.include_usage}
 * (it needs the counts), but a client that did not ask must not see the extra chunk: some clients
 * read {@code choices[0]} of every chunk and break on an empty list. OpenAI sends that chunk last,
 * just before {@code data: [DONE]}; the filter drops the last event of what has come so far if its
 * {@code choices} is empty and its {@code usage} is an object (events that are blank or
 * {@code [DONE]} are looked past). An event may arrive split over chunks, so an incomplete tail is
 * held back until its end arrives. A chunk with no usage object goes on as it came after one pass
 * over its bytes; one with a usage object has only its last events parsed.
 */
final class UsageChunkFilter {
    private static final byte[] NOTHING = new byte[0];
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = new JsonFactory();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ALL_G = 0x6767676767676767L;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** The incomplete last event of what came so far. */
    private byte[] pending = NOTHING;

    /** What of {@code chunk} (plus what was held back) can go to the client now. */
    Buffer filter(Buffer chunk) {
        // Read the chunk's own array where there is one (Vert.x hands the client heap buffers):
        // every byte of a stream passes here, and a copy of each was a tenth of the gateway's allocation.
        ByteBuf buf = ((BufferInternal) chunk).unwrap();
        boolean whole = pending.length == 0;
        byte[] in;
        int from;
        int to;
        if (whole && buf.hasArray()) {
            in = buf.array();
            from = buf.arrayOffset(); // a Vert.x buffer's bytes start at its index 0, whatever the reader index
            to = from + chunk.length();
        } else {
            in = whole ? chunk.getBytes() : concat(pending, chunk.getBytes());
            from = 0;
            to = in.length;
        }
        int end = afterLastEvent(in, from, to);
        if (end < 0) {
            pending = Arrays.copyOfRange(in, from, to);
            return Buffer.buffer();
        }
        pending = end == to ? NOTHING : Arrays.copyOfRange(in, end, to);
        // nearly every chunk: one pass finds no usage object, and the chunk goes on as it came
        if (!hasUsageObject(in, from, end)) return upTo(end, in, from, to, chunk, whole);
        int eventEnd = end;
        while (eventEnd > from) {
            int eventStart = startOfEventEndingAt(in, from, eventEnd);
            if (!isBlankOrDone(in, eventStart, eventEnd)) {
                if (!isUsageOnly(in, eventStart, eventEnd)) break;
                return Buffer.buffer(end - from - (eventEnd - eventStart)).appendBytes(in, from, eventStart - from)
                        .appendBytes(in, eventEnd, end - eventEnd);
            }
            eventEnd = eventStart;
        }
        return upTo(end, in, from, to, chunk, whole);
    }

    /** {@code in[from, end)}: the chunk as it came if that is all of it ({@code in[from, to)} is the chunk). */
    private static Buffer upTo(int end, byte[] in, int from, int to, Buffer chunk, boolean inIsChunk) {
        return inIsChunk && end == to ? chunk : Buffer.buffer(end - from).appendBytes(in, from, end - from);
    }

    /** Whatever was held back, at the end of the stream. */
    Buffer flush() {
        Buffer out = Buffer.buffer(pending);
        pending = NOTHING;
        return out;
    }

    /**
     * If an event ends with the blank line that starts at {@code i} ("\n\n" or "\n\r\n", before
     * {@code to}), the index after it.
     */
    private static int boundaryEndingAt(byte[] b, int i, int to) {
        if (b[i] != '\n') return -1;
        if (i + 1 < to && b[i + 1] == '\n') return i + 2;
        if (i + 2 < to && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
        return -1;
    }

    private static int afterLastEvent(byte[] b, int from, int to) {
        for (int i = to - 2; i >= from; i--) {
            int after = boundaryEndingAt(b, i, to);
            if (after > 0) return after;
        }
        return -1;
    }

    /** Where the event that ends at {@code end} (just past its blank line) begins, not before {@code from}. */
    private static int startOfEventEndingAt(byte[] b, int from, int end) {
        for (int i = end - 3; i >= from; i--) {
            int after = boundaryEndingAt(b, i, end);
            if (after > 0 && after < end) return after;
        }
        return from;
    }

    /** Only blank lines, or {@code data: [DONE]}. */
    private static boolean isBlankOrDone(byte[] b, int from, int to) {
        int i = skipSpace(b, from, to);
        if (i == to) return true;
        if (!startsWith(b, i, to, DATA)) return false;
        i = skipSpace(b, i + 5, to);
        return startsWith(b, i, to, DONE) && skipSpace(b, i + DONE.length, to) == to;
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r')) i++;
        return i;
    }

    private static boolean startsWith(byte[] b, int i, int to, byte[] prefix) {
        return to - i >= prefix.length && Arrays.equals(b, i, i + prefix.length, prefix, 0, prefix.length);
    }

    /**
     * The event's JSON has an empty {@code choices} array and a {@code usage} object. Read with
     * Jackson's token stream over the event's bytes: no string, no tree, and the top-level fields
     * only, since every stream's usage chunk comes here.
     */
    private static boolean isUsageOnly(byte[] b, int from, int to) {
        // no JSON parsing without a usage object: no "usage", or "usage":null as some servers put in every chunk
        if (!hasUsageObject(b, from, to)) return false;
        int i = skipSpace(b, from, to);
        if (!startsWith(b, i, to, DATA)) return false;
        i += DATA.length;
        try (JsonParser json = JSON.createParser(b, i, to - i)) {
            if (json.nextToken() != JsonToken.START_OBJECT) return false;
            boolean emptyChoices = false;
            boolean usageObject = false;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("choices")) {
                    if (value != JsonToken.START_ARRAY || json.nextToken() != JsonToken.END_ARRAY) return false;
                    emptyChoices = true;
                } else {
                    if (field.equals("usage")) usageObject = value == JsonToken.START_OBJECT;
                    json.skipChildren();
                }
            }
            return emptyChoices && usageObject;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A {@code "usage"} key whose value is an object. Every byte of a stream passes here, so it looks
     * for the rare {@code 'g'} eight bytes at a time (a word with a zero byte where a {@code 'g'} was,
     * found with the usual bit trick, which may also flag a byte next to a true one: each flagged
     * byte is checked) and only then at the bytes around it.
     */
    private static boolean hasUsageObject(byte[] b, int from, int to) {
        int i = from + 4;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long v = (long) LONGS.get(b, i) ^ ALL_G;
            long flagged = (v - ONES) & ~v & HIGH_BITS;
            while (flagged != 0) {
                if (isUsageObjectAt(b, i + (Long.numberOfTrailingZeros(flagged) >>> 3), to)) return true;
                flagged &= flagged - 1;
            }
        }
        for (; i < to; i++) {
            if (isUsageObjectAt(b, i, to)) return true;
        }
        return false;
    }

    /** {@code b[i]} is the {@code g} of {@code "usage"}, and an object follows the colon. */
    private static boolean isUsageObjectAt(byte[] b, int i, int to) {
        if (i + 2 >= to || b[i] != 'g' || b[i + 1] != 'e' || b[i + 2] != '"' || b[i - 1] != 'a' || b[i - 2] != 's'
                || b[i - 3] != 'u' || b[i - 4] != '"') {
            return false;
        }
        int k = i + 3;
        while (k < to && (b[k] == ' ' || b[k] == ':')) k++;
        return k < to && b[k] == '{';
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
