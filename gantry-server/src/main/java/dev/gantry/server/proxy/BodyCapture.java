package dev.gantry.server.proxy;

import dev.gantry.auth.ApiKey;
import dev.gantry.server.identity.Directory;
import dev.gantry.store.RequestBodyRepository;
import dev.gantry.store.RequestBodyRepository.Bodies;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prompt and completion capture, for the teams that turned it on ({@code teams.capture_bodies}).
 *
 * <p>{@link #begin} decides per request from the in-memory {@link Directory}: for every other
 * request it returns null, and the exchange's only cost is checking that null. A {@link Capture}
 * keeps the client's body (the array already read, not a copy) and copies what the gateway writes
 * back, each up to {@link #MAX_BYTES}. When the request ends, {@link Capture#store} decodes and
 * inserts both off the event loop. The bodies are not spooled: those of requests in flight when the
 * process dies are lost, while their usage is not.
 */
public final class BodyCapture {
    private static final Logger log = LoggerFactory.getLogger(BodyCapture.class);
    /**
     * Most bytes kept of each body: a bit under 1 MiB, so that the decoded text always fits the
     * column (H2's longest VARCHAR is a million characters, and UTF-8 never decodes to more
     * characters than bytes).
     */
    static final int MAX_BYTES = RequestBodyRepository.MAX_CHARS;

    private final Directory directory;
    private final RequestBodyRepository repository;
    private final Vertx vertx;

    public BodyCapture(Directory directory, RequestBodyRepository repository, Vertx vertx) {
        this.directory = directory;
        this.repository = repository;
        this.vertx = vertx;
    }

    /** A capture for this request if its key's team keeps bodies, else null. */
    Capture begin(ApiKey key, byte[] requestBody) {
        return directory.capturesBodies(key.teamId()) ? new Capture(requestBody) : null;
    }

    /** One request's bodies. Event-loop confined, like the exchange that holds it. */
    final class Capture {
        private final byte[] request;
        private final Buffer response = Buffer.buffer();
        private boolean responseCut;

        private Capture(byte[] request) { this.request = request; }

        /** Copies what is about to be written to the client: call before the write, which may release the buffer. */
        void answered(Buffer out) {
            int room = MAX_BYTES - response.length();
            if (out.length() > room) responseCut = true;
            if (room > 0) response.appendBuffer(out, 0, Math.min(room, out.length()));
        }

        void answered(String out) { answered(Buffer.buffer(out)); }

        /** Inserts the bodies on a worker thread; a failure is logged without them. */
        void store(String requestId, Instant at) {
            byte[] answer = response.getBytes();
            vertx.executeBlocking(() -> {
                boolean cut = responseCut || request.length > MAX_BYTES;
                repository.insert(new Bodies(requestId, at, text(request), text(answer), cut));
                return null;
            }, false).onFailure(e -> log.warn("could not store the captured bodies of request {}: {}", requestId,
                    e.getClass().getSimpleName()));
        }
    }

    /** At most {@link #MAX_BYTES} as UTF-8; NUL becomes U+FFFD, since PostgreSQL's text cannot hold it. */
    private static String text(byte[] bytes) {
        String s = new String(bytes.length > MAX_BYTES ? Arrays.copyOf(bytes, MAX_BYTES) : bytes, StandardCharsets.UTF_8);
        return s.indexOf('\0') >= 0 ? s.replace('\0', '\uFFFD') : s;
    }
}
