package dev.gantry.server.proxy;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Keeps the first {@link #HEAD} and the last {@link #TAIL} bytes of a response, and counts the
 * rest. Usage sits in those ends (Anthropic reports input tokens in its first stream event, every
 * protocol reports the totals last), so nothing in between is scanned or kept: a long stream costs
 * a fixed 12 KB and one copy of each chunk, whatever its length. Keeping only the last buffer would
 * be wrong: a final event can arrive split over several small chunks.
 */
final class ByteWindow {
    static final int HEAD = 4 * 1024;
    static final int TAIL = 8 * 1024;

    private byte[] head;
    private int headLength;
    private byte[] ring;
    private long total;

    void append(Buffer chunk) {
        int length = chunk.length();
        int pos = 0;
        if (headLength < HEAD) {
            int n = Math.min(HEAD - headLength, length);
            growHead(headLength + n);
            chunk.getBytes(0, n, head, headLength);
            headLength += n;
            pos = n;
        }
        if (pos < length) {
            if (ring == null) ring = new byte[TAIL];
            // only the last TAIL bytes of the chunk can survive
            pos = Math.max(pos, length - TAIL);
            while (pos < length) {
                int at = (int) ((total + pos - HEAD) % TAIL);
                int n = Math.min(length - pos, TAIL - at);
                chunk.getBytes(pos, pos + n, ring, at);
                pos += n;
            }
        }
        total += length;
    }

    /**
     * The head starts at the first chunk's size, not at {@link #HEAD}: most answers are a single
     * chunk of about a kilobyte, which is then kept in an array of its exact size and handed on as
     * it is, with no copy.
     */
    private void growHead(int needed) {
        if (head == null) head = new byte[needed];
        else if (head.length < needed) head = Arrays.copyOf(head, Math.min(HEAD, Math.max(needed, 2 * head.length)));
    }

    long total() { return total; }

    /** The first bytes of the response. The window's own array when it is exactly full: do not change it. */
    byte[] head() {
        if (head == null) return new byte[0];
        return headLength == head.length ? head : Arrays.copyOf(head, headLength);
    }

    /** The last {@code min(total, TAIL)} bytes, in order. */
    byte[] tail() {
        if (ring == null) return head();
        long afterHead = total - HEAD;
        if (afterHead >= TAIL) {
            byte[] out = new byte[TAIL];
            int start = (int) (afterHead % TAIL);
            System.arraycopy(ring, start, out, 0, TAIL - start);
            System.arraycopy(ring, 0, out, TAIL - start, start);
            return out;
        }
        // head plus a partly filled ring: stitch the end of head to the ring's content
        int fromRing = (int) afterHead;
        int fromHead = Math.min(HEAD, TAIL - fromRing);
        byte[] out = new byte[fromHead + fromRing];
        System.arraycopy(head, HEAD - fromHead, out, 0, fromHead);
        System.arraycopy(ring, 0, out, fromHead, fromRing);
        return out;
    }

    /** Whether {@link #tail()} holds the whole response. */
    boolean tailIsWhole() { return total <= TAIL; }
}
