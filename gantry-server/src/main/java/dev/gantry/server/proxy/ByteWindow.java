package dev.gantry.server.proxy;

import io.vertx.core.buffer.Buffer;

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
            if (head == null) head = new byte[HEAD];
            int n = Math.min(HEAD - headLength, length);
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

    long total() { return total; }

    byte[] head() {
        byte[] out = new byte[headLength];
        if (headLength > 0) System.arraycopy(head, 0, out, 0, headLength);
        return out;
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
