package dev.gantry.server.proxy;

import dev.gantry.error.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * How an upstream answer becomes the client's answer: passed through as it is
 * ({@link PassThroughRelay}) or translated between protocols ({@link TranslatingRelay}).
 * {@link ProxyExchange} drives it and owns everything else (back-pressure, timing, endings).
 */
interface AnswerRelay {

    /** Sets the client response's status and headers from the upstream's. Nothing is written yet. */
    void begin(HttpClientResponse upstream, HttpServerResponse response);

    /** Whether the upstream answer is a server-sent-event stream. */
    boolean isStream();

    /** What to write to the client for this upstream chunk now (possibly nothing). */
    Buffer chunk(Buffer upstreamChunk);

    /** What to write when the upstream answer ended cleanly. */
    Buffer end();

    /**
     * What ends the client's answer when the upstream broke off after it began, or null when the
     * answer cannot be closed properly (a half-sent JSON body) and the connection must be reset.
     */
    Buffer broke(ErrorCode code, String message);
}
