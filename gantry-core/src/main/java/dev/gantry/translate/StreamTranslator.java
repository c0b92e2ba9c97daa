package dev.gantry.translate;

import dev.gantry.error.ErrorCode;

/**
 * Translates one upstream SSE stream into the client's SSE stream, as it arrives.
 *
 * <p>Chunks arrive with arbitrary boundaries: an event may be split over several chunks, or one
 * chunk may hold many events; the translator keeps the incomplete tail until its end arrives.
 * Each call returns the bytes to send the client now (possibly none). Not thread-safe: one stream,
 * one event loop.
 */
public interface StreamTranslator {

    /** The client bytes for this upstream chunk. */
    byte[] feed(byte[] upstreamChunk);

    /**
     * The upstream stream ended cleanly. Returns what closes the client's stream; if the upstream
     * ended without its proper closing (no finish reason, no [DONE]), the translator closes the
     * client's stream properly all the same.
     */
    byte[] end();

    /** The upstream broke off: the client bytes that end the stream with an error event. */
    byte[] fail(ErrorCode code, String message);
}
