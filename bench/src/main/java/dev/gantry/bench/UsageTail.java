package dev.gantry.bench;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the calibration proxies ({@link BareProxy}, {@link NettyBareProxy}) do for usage, as
 * PERF-NOTES' featureless proxy did: keep the last {@link #WINDOW} bytes of each answer while
 * relaying it, and at its end hand them to a background thread that finds the usage object in them.
 * One per answer, confined to its event loop.
 */
final class UsageTail {
    private static final int WINDOW = 4096;
    private static final BlockingQueue<byte[]> TAILS = new ArrayBlockingQueue<>(100_000);
    private static final AtomicLong SEEN = new AtomicLong();

    private final byte[] window = new byte[WINDOW];
    private int filled;

    /** Starts the thread that reads the tails; once per process. */
    static void startReader() {
        byte[] needle = "\"completion_tokens\"".getBytes(StandardCharsets.US_ASCII);
        String text = new String(needle, StandardCharsets.US_ASCII);
        Thread.ofPlatform().daemon().name("usage").start(() -> {
            while (true) {
                try {
                    if (new String(TAILS.take(), StandardCharsets.UTF_8).contains(text)) SEEN.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Keeps the end of the answer so far, {@code chunk} being its next bytes (left unread). */
    void add(ByteBuf chunk) {
        int n = chunk.readableBytes();
        int from = chunk.readerIndex();
        if (n >= WINDOW) chunk.getBytes(from + n - WINDOW, window, 0, WINDOW);
        else chunk.getBytes(from, window, makeRoom(n), n);
        filled = Math.min(WINDOW, filled + n);
    }

    /** The same for a Vert.x buffer, read in place. */
    void add(Buffer chunk) {
        int n = chunk.length();
        if (n >= WINDOW) chunk.getBytes(n - WINDOW, n, window, 0);
        else chunk.getBytes(0, n, window, makeRoom(n));
        filled = Math.min(WINDOW, filled + n);
    }

    /** Moves the bytes kept so far that stay to the window's start; where the {@code n} new ones go. */
    private int makeRoom(int n) {
        int keep = Math.min(filled, WINDOW - n);
        System.arraycopy(window, filled - keep, window, 0, keep);
        filled = keep;
        return keep;
    }

    /** The answer ended: its tail goes to the reader. */
    void end() {
        TAILS.offer(Arrays.copyOf(window, filled));
    }
}
