package dev.gantry.bench;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * One request and what came back: timestamps, status, and whether the answer was whole.
 *
 * <p>Confined to the event loop that sends it. Times are {@link System#nanoTime()} values.
 * A stream is whole when it ends with its protocol's last event ({@link Api}: {@code data: [DONE]}
 * or {@code message_stop}); a JSON answer when it ends with a closing brace. The first token of a
 * stream is the first event carrying generated text ({@link Api#firstToken}): the bytes are scanned
 * until it is found, then no more.
 */
final class Call {
    /** Longest stream end of any {@link Api}: the tail kept to check it. */
    private static final int TAIL = 64;

    final Request request;
    final boolean stream;
    /** When the request was due (fixed-rate loads) or sent (closed loops). */
    final long scheduledNanos;
    long sentNanos;
    long headersNanos = -1;
    long firstByteNanos = -1;
    long firstTokenNanos = -1;
    long endNanos = -1;
    int status;
    long bytes;
    String error;

    private final byte[] tail = new byte[TAIL];
    private final byte[] firstToken;
    private int tailLength;
    private int contentMatched;
    /** The whole answer, kept only when asked (the preflight checks a stream's events one by one). */
    private java.io.ByteArrayOutputStream kept;

    Call(Request request, long scheduledNanos) {
        this.request = request;
        this.stream = request.stream();
        this.firstToken = request.api().firstToken;
        this.scheduledNanos = scheduledNanos;
    }

    /** Keeps the whole answer for {@link #body()}; for single requests, never under load. */
    Call keepBody() {
        kept = new java.io.ByteArrayOutputStream();
        return this;
    }

    /** The whole answer as text, if {@link #keepBody()} was called, else "". */
    String body() {
        return kept == null ? "" : kept.toString(StandardCharsets.UTF_8);
    }

    void onBody(Buffer buffer) {
        long now = System.nanoTime();
        int n = buffer.length();
        if (n == 0) return;
        if (firstByteNanos < 0) firstByteNanos = now;
        bytes += n;
        if (kept != null) kept.writeBytes(buffer.getBytes());
        if (stream && firstTokenNanos < 0) {
            for (int i = 0; i < n; i++) {
                byte b = buffer.getByte(i);
                if (b == firstToken[contentMatched]) {
                    if (++contentMatched == firstToken.length) {
                        firstTokenNanos = now;
                        break;
                    }
                } else {
                    contentMatched = b == firstToken[0] ? 1 : 0; // '{' occurs only first in the needle
                }
            }
        }
        // keep the last TAIL bytes seen
        if (n >= tail.length) {
            buffer.getBytes(n - tail.length, n, tail, 0);
            tailLength = tail.length;
        } else {
            int keep = Math.min(tailLength, tail.length - n);
            System.arraycopy(tail, tailLength - keep, tail, 0, keep);
            buffer.getBytes(0, n, tail, keep);
            tailLength = keep + n;
        }
    }

    /** Decides, at the end of the answer, whether it succeeded; sets {@link #error} if not. */
    void onEnd() {
        endNanos = System.nanoTime();
        if (status != 200) {
            error = "HTTP " + status;
        } else if (stream ? !endsWith(request.api().streamEnd) : tailLength == 0 || tail[tailLength - 1] != '}') {
            error = stream ? "stream without " + request.api().streamEndText() + " at its end" : "truncated JSON body";
        }
    }

    void onFailure(Throwable t) {
        if (endNanos < 0) endNanos = System.nanoTime();
        if (error == null) {
            String message = t.getMessage();
            error = t.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
        }
    }

    boolean ok() {
        return error == null;
    }

    /** Scheduled (or sent) to the last byte. */
    long latencyNanos() {
        return endNanos - scheduledNanos;
    }

    /** Scheduled (or sent) to the first content token; -1 if none arrived. */
    long ttftNanos() {
        return firstTokenNanos < 0 ? -1 : firstTokenNanos - scheduledNanos;
    }

    private boolean endsWith(byte[] suffix) {
        if (tailLength < suffix.length) return false;
        for (int i = 0; i < suffix.length; i++) {
            if (tail[tailLength - suffix.length + i] != suffix[i]) return false;
        }
        return true;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 120 ? line.substring(0, 120) : line;
    }
}
