package dev.gantry.server.proxy;

import dev.gantry.auth.ApiKey;
import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.protocol.Endpoint;
import dev.gantry.protocol.ErrorBodies;
import dev.gantry.server.http.ErrorResponder;
import dev.gantry.server.usage.UsageEvent;
import dev.gantry.server.usage.UsageRecorder;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.ResponseSample;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One proxied request, from the client's first byte to its usage event, and the relay of the
 * upstream's answer back to the client.
 *
 * <p>Concurrency: every method runs on the event loop that accepted the request (Vert.x calls the
 * server and client handlers of one request on the same context), so the fields need no locks.
 * Exactly one of four endings happens, guarded by {@code done}: the answer ends ({@link Outcome#OK}
 * or, for an error status, {@link Outcome#ERROR}), the request fails before an answer
 * ({@link #fail}), the upstream breaks mid-answer ({@link Outcome#STREAM_CUT}: a stream gets a
 * proper error event), or the client goes away ({@link Outcome#CANCELLED}: the upstream request is
 * reset at once, since every further token costs money).
 *
 * <p>The relay writes each upstream chunk as it comes and pauses the upstream while the client's
 * write queue is full, so a slow client holds at most one queue's worth of memory. A watchdog
 * ends a stream whose upstream stays silent longer than the provider's read timeout (Vert.x's own
 * idle timeout stops guarding once the response headers are in): one timer per answer, checking
 * a timestamp that each chunk refreshes, so the per-chunk cost is a field write.
 */
final class ProxyExchange {
    static final String REQUEST_ID_HEADER = "x-gantry-request-id";
    /** Hop-by-hop headers (RFC 9110 §7.6.1) and framing the gateway sets itself. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "set-cookie");
    /** What the usage row says of a request whose client left: nginx's "client closed request". */
    private static final int CLIENT_CLOSED = 499;

    final String id = RequestIds.next();
    final Endpoint endpoint;
    private final HttpServerResponse response;
    private final Vertx vertx;
    private final UsageRecorder recorder;
    private final AtomicInteger inFlight;
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();

    ApiKey key;
    String askedModel;
    Model model;
    Deployment deployment;
    boolean stream;
    /** The gateway asked for OpenAI stream usage that the client did not: hide that chunk. */
    boolean hideUsageChunk;
    byte[] upstreamBody;

    private HttpClientRequest upstreamRequest;
    private final ByteWindow window = new ByteWindow();
    private long firstByteNanos = -1;
    private long lastChunkNanos;
    private long watchdog = -1;
    private boolean sse;
    private boolean done;

    ProxyExchange(Endpoint endpoint, HttpServerResponse response, Vertx vertx, Instant startedAt,
                  UsageRecorder recorder, AtomicInteger inFlight) {
        this.endpoint = endpoint;
        this.response = response;
        this.vertx = vertx;
        this.recorder = recorder;
        this.inFlight = inFlight;
        this.startedAt = startedAt;
        inFlight.incrementAndGet();
        response.putHeader(REQUEST_ID_HEADER, id);
        response.closeHandler(v -> clientGone());
    }

    /** Called with each attempt's upstream request, so that a departed client can cancel it. */
    void upstreamRequest(HttpClientRequest request) {
        upstreamRequest = request;
        if (done) request.reset();
    }

    void relay(HttpClientResponse upstream) {
        if (done) { // the client left while the upstream was thinking
            upstream.request().reset();
            return;
        }
        response.setStatusCode(upstream.statusCode());
        upstream.headers().forEach((name, value) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase())) response.headers().add(name, value);
        });
        String contentType = upstream.getHeader("content-type");
        sse = contentType != null && contentType.startsWith("text/event-stream");
        UsageChunkFilter filter = sse && hideUsageChunk ? new UsageChunkFilter() : null;
        String length = upstream.getHeader("content-length");
        if (length != null && filter == null) response.putHeader("content-length", length);
        else response.setChunked(true);

        watchSilence(upstream, deployment.provider().timeouts().read().toNanos());
        upstream.handler(chunk -> {
            if (done) return;
            lastChunkNanos = System.nanoTime();
            if (firstByteNanos < 0) firstByteNanos = lastChunkNanos;
            window.append(chunk);
            Buffer out = filter == null ? chunk : filter.filter(chunk);
            if (out.length() > 0) response.write(out);
            if (response.writeQueueFull()) {
                upstream.pause();
                response.drainHandler(v -> upstream.resume());
            }
        });
        upstream.exceptionHandler(this::upstreamBroke);
        upstream.endHandler(v -> {
            if (done) return;
            if (filter != null) response.write(filter.flush());
            response.end();
            finish(upstream.statusCode() < 400 ? Outcome.OK : Outcome.ERROR, upstream.statusCode());
        });
    }

    private void watchSilence(HttpClientResponse upstream, long readTimeoutNanos) {
        lastChunkNanos = System.nanoTime();
        long period = Math.max(50, readTimeoutNanos / 4_000_000);
        watchdog = vertx.setPeriodic(period, id -> {
            if (System.nanoTime() - lastChunkNanos <= readTimeoutNanos) return;
            upstreamBroke(new TimeoutException("upstream silent for longer than the read timeout"));
            upstream.request().reset();
        });
    }

    /** The request failed before any answer was relayed. */
    void fail(Throwable failure) {
        if (done) return;
        GatewayException error = ErrorResponder.classify(failure);
        ErrorResponder.send(response, endpoint.dialect(), error);
        finish(Outcome.ERROR, error.code().httpStatus());
    }

    private void upstreamBroke(Throwable failure) {
        if (done) return;
        if (!response.headWritten()) {
            fail(failure);
            return;
        }
        if (sse) {
            GatewayException cause = ErrorResponder.classify(failure);
            ErrorCode code = cause.code() == ErrorCode.UPSTREAM_TIMEOUT ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_STREAM_CUT;
            String message = code == ErrorCode.UPSTREAM_TIMEOUT
                    ? "The upstream model server stopped sending in the middle of the stream."
                    : "The upstream model server broke off the stream.";
            response.end(Buffer.buffer(ErrorBodies.streamEvent(endpoint.dialect(), code, message)));
        } else {
            response.reset(); // a half-sent JSON body cannot be mended: close so the client sees it broke
        }
        finish(Outcome.STREAM_CUT, response.getStatusCode());
    }

    private void clientGone() {
        if (done) return;
        finish(Outcome.CANCELLED, CLIENT_CLOSED); // first: the reset below reports back synchronously
        if (upstreamRequest != null) upstreamRequest.reset();
    }

    private void finish(Outcome outcome, int status) {
        done = true;
        if (watchdog >= 0) vertx.cancelTimer(watchdog);
        inFlight.decrementAndGet();
        long now = System.nanoTime();
        var sample = new ResponseSample(window.head(), window.tail(), window.tailIsWhole(), window.total());
        recorder.record(new UsageEvent(id, startedAt, key == null ? null : key.id(), endpoint, model, askedModel,
                deployment, status, outcome, now - startNanos, firstByteNanos < 0 ? -1 : firstByteNanos - startNanos,
                stream, sse, upstreamBody, sample));
    }
}
