package dev.gantry.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Plays a server-sent-events stream: the endpoints build the whole stream up front as a list of
 * frames (each already in its wire form, {@code data: ...\n\n} or {@code event: ...\ndata: ...\n\n}),
 * and this class sends them, applying the timing and the stream faults.
 *
 * <p>Why a prepared script: the protocol code then reads as the sequence the real server sends,
 * with no fault logic in it, and the faults ({@link SimBehaviour.Fault#CUT_MID_STREAM},
 * {@link SimBehaviour.Fault#MALFORMED_SSE}) apply the same way to both protocols. Frames marked
 * as content are the generated pieces: {@code chunkDelayMs} is waited before each of them (the
 * framing around them goes out at once, as a real server sends it), the cut counts them, and the
 * broken line goes after half of them.
 *
 * <p>Runs on the connection's event loop. With no delay the whole stream is written at once, one
 * write per frame, as a server that generates fast would; with a delay each piece is a timer.
 */
final class SseWriter {
    private final List<String> frames = new ArrayList<>();
    private final List<Boolean> content = new ArrayList<>();
    private final String malformedFrame;
    private int contentFrames;

    private Exchange exchange;
    private SimBehaviour behaviour;
    private int next;
    private int contentSent;
    private int malformedAfter;
    private boolean waited;

    /** @param malformedFrame the broken frame {@link SimBehaviour.Fault#MALFORMED_SSE} inserts */
    SseWriter(String malformedFrame) {
        this.malformedFrame = malformedFrame;
    }

    /** Adds a framing frame (sent without delay). */
    SseWriter frame(String frame) {
        frames.add(frame);
        content.add(Boolean.FALSE);
        return this;
    }

    /** Adds a generated piece (delayed by {@code chunkDelayMs}, counted by the cut). */
    SseWriter contentFrame(String frame) {
        frames.add(frame);
        content.add(Boolean.TRUE);
        contentFrames++;
        return this;
    }

    /** Sends the head and then the frames, by the exchange's behaviour. */
    void play(Exchange exchange) {
        this.exchange = exchange;
        this.behaviour = exchange.behaviour();
        this.malformedAfter = behaviour.fault() == SimBehaviour.Fault.MALFORMED_SSE
                ? Math.max(1, contentFrames / 2)
                : -1;
        exchange.startStream();
        pump();
    }

    private void pump() {
        while (next < frames.size()) {
            boolean isContent = content.get(next);
            // The cut comes before the next piece, or before the closing frames once every piece
            // is out: either way the stream never gets its finish chunk, [DONE] or message_stop.
            if (behaviour.fault() == SimBehaviour.Fault.CUT_MID_STREAM
                    && contentSent >= behaviour.cutAfterChunks()
                    && (isContent || contentSent == contentFrames)) {
                exchange.cut();
                return;
            }
            if (isContent) {
                if (behaviour.chunkDelayMs() > 0 && !waited) {
                    waited = true;
                    exchange.after(behaviour.chunkDelayMs(), this::pump);
                    return;
                }
                waited = false;
                contentSent++;
            }
            if (!exchange.write(frames.get(next))) {
                return;
            }
            next++;
            if (isContent && contentSent == malformedAfter) {
                exchange.write(malformedFrame);
            }
        }
        exchange.endStream();
    }
}
