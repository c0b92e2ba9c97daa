package dev.gantry.server.proxy;

import dev.gantry.auth.ApiKey;
import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.Timeouts;
import dev.gantry.routing.DeploymentHealth;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.protocol.Endpoint;
import dev.gantry.protocol.ErrorBodies;
import dev.gantry.protocol.Dialect;
import dev.gantry.server.http.ErrorResponder;
import dev.gantry.server.policy.Grant;
import dev.gantry.server.policy.Refusal;
import dev.gantry.server.telemetry.TraceContext;
import dev.gantry.server.usage.UsageEvent;
import dev.gantry.server.usage.UsageRecorder;
import dev.gantry.translate.Translation;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.ResponseSample;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p>The relay writes each upstream chunk of a stream as it comes and pauses the upstream while the
 * client's write queue is full, so a slow client holds at most one queue's worth of memory. An
 * answer's first two writes go out at once, so that its first token is never held, even when a fast
 * upstream's whole stream arrives in one read: OpenAI's role chunk and then the first token, or a
 * translated stream's preamble and then its first delta. After them, the chunks of one event-loop
 * turn are gathered and written at the turn's end, one write and one system call instead of one per
 * event. A chunk thus waits at most for the rest of its turn, never for a later read; the chunks of
 * the stream's last turn go out in one write with its end, once its usage is written. A
 * whole (non-stream) answer is held instead, up to {@link #HOLD_LIMIT}, and goes out in one write
 * with its last byte once its usage is durable: one write and flush per answer rather than two,
 * which at saturation was a fifth of the event loops' CPU; the client could use no part of a JSON
 * body before its end anyway. The event loop's {@link SilenceWatch} ends a request whose upstream
 * stays silent longer than the deployment's first-token timeout (before the response headers and
 * before the first chunk) or idle timeout (between chunks): each chunk only sets a flag, which the
 * watch's next check turns into a time, so the per-chunk cost is a field write.
 */
final class ProxyExchange {
    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);
    /** An answer's first writes, which go out as they come (see the class note). */
    static final int WRITTEN_AT_ONCE = 2;
    static final String REQUEST_ID_HEADER = "x-gantry-request-id";
    /** What the usage row says of a request whose client left: nginx's "client closed request". */
    private static final int CLIENT_CLOSED = 499;
    /** The reset code of an upstream request given up on (HTTP/2's CANCEL; HTTP/1 closes the connection). */
    private static final long CANCEL = 0x8;
    /** The largest whole answer held back to go out in one write; a larger one is streamed from there on. */
    static final int HOLD_LIMIT = 256 * 1024;

    final String id = RequestIds.next();
    final Endpoint endpoint;
    private final HttpServerResponse response;
    private final UsageRecorder recorder;
    private final CapacityQueue capacity;
    private final SilenceWatch silenceWatch;
    /** The event loop this request lives on, where the answer's last byte is sent from. */
    private final Context context = Vertx.currentContext();
    private final AtomicInteger inFlight;
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();

    ApiKey key;
    String askedModel;
    /** The model the client's name resolved to. */
    Model model;
    /** The model that answers: {@link #model} or one of its fallbacks. */
    private Model servedModel;
    Deployment deployment;
    boolean stream;
    byte[] upstreamBody;
    /** Set when client and upstream speak different protocols. */
    Translation translation;
    /** The gateway asked for OpenAI stream usage that the client did not: hide that chunk. */
    boolean hideUsageChunk;
    /** The protocol the upstream answers in: where its usage report is to be found. */
    Dialect upstreamDialect;

    private HttpClientRequest upstreamRequest;
    private final ByteWindow window = new ByteWindow();
    private long firstByteNanos = -1;
    private long sentNanos;
    /** When the current attempt's request was sent, and whether its response headers are still awaited. */
    private long requestSentNanos;
    private boolean awaitingAnswer;
    private DeploymentHealth health;
    private Duration retryAfter = Duration.ofSeconds(1);
    private long lastChunkNanos;
    /**
     * A chunk came since the last silence check, which then takes its own time for the chunk's:
     * one clock read per check rather than one per chunk (a read costs about 30 ns on a virtual
     * machine's clock, and a stream has dozens of chunks).
     */
    private boolean heardSinceCheck;
    private boolean paused;
    /** This answer's place in its loop's {@link SilenceWatch}; -1 when not watched. */
    int silenceSlot = -1;
    private AnswerRelay relay;
    /** The part of a whole answer not yet written (see {@link #send}); null when nothing is held. */
    private Buffer held;
    /** Chunks of this turn of the event loop, written at its end (see the class note); null when none. */
    private Buffer gathered;
    /** The parts of {@link #gathered} once a second chunk joined the turn's first; null before. */
    private CompositeByteBuf gatheredParts;
    /** Writes of this answer that went out as they came; past {@link #WRITTEN_AT_ONCE}, chunks are gathered. */
    private int writtenAtOnce;
    /** The answer's end waits for its usage to be written, and will write what was gathered with it. */
    private boolean ending;
    private HttpClientResponse upstreamResponse;
    private boolean done;
    /** The request's trace context: null unless tracing is on. */
    TraceContext trace;
    /** The request's bodies, kept when its team captures them; null otherwise (then nothing is copied). */
    BodyCapture.Capture capture;
    /** What the limits step granted; ended by the usage recorder with the measured usage. */
    private Grant grant = Grant.NONE;

    ProxyExchange(Endpoint endpoint, HttpServerResponse response, Instant startedAt,
                  UsageRecorder recorder, AtomicInteger inFlight, CapacityQueue capacity, SilenceWatch silenceWatch) {
        this.capacity = capacity;
        this.silenceWatch = silenceWatch;
        this.endpoint = endpoint;
        this.response = response;
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
        if (done) {
            request.reset();
            return;
        }
        requestSentNanos = System.nanoTime();
        awaitingAnswer = true;
        silenceWatch.watch(this);
    }

    /** The current attempt's response headers came, or the attempt failed: no first-token wait runs now. */
    void upstreamAnswered() { awaitingAnswer = false; }

    void relay(HttpClientResponse upstream, AnswerRelay relay) {
        if (done) { // the client left while the upstream was thinking
            upstream.request().reset();
            return;
        }
        this.relay = relay;
        this.upstreamResponse = upstream;
        if (upstream.statusCode() == 429) retryAfter = RetryAfter.parse(upstream.getHeader("retry-after"));
        relay.begin(upstream, response);
        lastChunkNanos = System.nanoTime();
        upstream.handler(chunk -> {
            if (done) return;
            if (firstByteNanos < 0) firstByteNanos = lastChunkNanos = System.nanoTime();
            else heardSinceCheck = true;
            window.append(chunk);
            Buffer out;
            try {
                out = relay.chunk(chunk);
            } catch (RuntimeException e) {
                upstreamBroke(unreadable(e));
                upstream.request().reset();
                return;
            }
            if (out != null && out.length() > 0) {
                if (capture != null) capture.answered(out);
                send(out);
            }
            pauseWhileTheClientIsBehind();
        });
        upstream.exceptionHandler(this::upstreamBroke);
        upstream.endHandler(v -> {
            if (done) return;
            Buffer last;
            try {
                last = relay.end();
            } catch (RuntimeException e) {
                upstreamBroke(unreadable(e));
                return;
            }
            if (last != null && last.length() > 0) {
                if (capture != null) capture.answered(last);
                send(last);
            }
            finish(upstream.statusCode() < 400 ? Outcome.OK : Outcome.ERROR, response.getStatusCode(), this::endResponse);
        });
    }

    /**
     * Writes part of the answer to the client, or holds it while it is a whole answer under
     * {@link #HOLD_LIMIT} of which nothing was written yet.
     */
    private void send(Buffer out) {
        if (!relay.isStream() && !response.headWritten() && (held == null ? 0 : held.length()) + out.length() <= HOLD_LIMIT) {
            held = held == null ? out : Buffer.buffer(held.length() + out.length()).appendBuffer(held).appendBuffer(out);
            return;
        }
        if (held != null) {
            response.write(held);
            held = null;
        }
        if (writtenAtOnce < WRITTEN_AT_ONCE) {
            writtenAtOnce++;
            response.write(out);
        } else if (gathered == null) { // the turn's first, kept as it is
            gathered = out;
            context.runOnContext(v -> endOfTurn());
        } else {
            // The turn's chunks are gathered as parts, not copied: the socket's write copies them to
            // native memory anyway, and this copy was a quarter of a stream's allocation.
            if (gatheredParts == null) {
                gatheredParts = Unpooled.compositeBuffer(Integer.MAX_VALUE).addComponent(true, bytesOf(gathered));
                gathered = BufferInternal.buffer(gatheredParts);
            }
            gatheredParts.addComponent(true, bytesOf(out));
        }
    }

    /** Writes what the turn gathered, unless the answer's end is about to (it then goes out with the end). */
    private void endOfTurn() {
        if (ending) return;
        writeGathered();
        if (upstreamResponse != null && !done) pauseWhileTheClientIsBehind();
    }

    private static ByteBuf bytesOf(Buffer buffer) { return ((BufferInternal) buffer).unwrap(); }

    private void writeGathered() {
        if (gathered == null) return;
        Buffer out = gathered;
        gathered = null;
        gatheredParts = null;
        if (!response.ended() && !response.closed()) response.write(out);
    }

    private void pauseWhileTheClientIsBehind() {
        if (paused || !response.writeQueueFull()) return;
        upstreamResponse.pause();
        paused = true;
        response.drainHandler(v -> {
            paused = false;
            lastChunkNanos = System.nanoTime(); // the wait was the client's, not the upstream's
            upstreamResponse.resume();
        });
    }

    private static GatewayException unreadable(RuntimeException cause) {
        log.warn("could not translate an upstream answer: {}", cause.toString());
        return new GatewayException(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The upstream's answer could not be read.");
    }

    /** Relays an answer whose body was already read (to decide on a fallback). */
    void relayWhole(HttpClientResponse upstream, Buffer body, AnswerRelay relay) {
        if (done) return;
        this.relay = relay;
        relay.begin(upstream, response);
        if (firstByteNanos < 0) firstByteNanos = System.nanoTime();
        window.append(body);
        try {
            Buffer out = relay.chunk(body);
            Buffer last = relay.end();
            if (capture != null) {
                if (out != null) capture.answered(out);
                if (last != null) capture.answered(last);
            }
            if (out != null && out.length() > 0) send(out);
            if (last != null && last.length() > 0) send(last);
        } catch (RuntimeException e) {
            upstreamBroke(unreadable(e));
            return;
        }
        finish(upstream.statusCode() < 400 ? Outcome.OK : Outcome.ERROR, response.getStatusCode(), this::endResponse);
    }

    /**
     * Ends the request if the upstream keeps silent: longer than {@code first_token} before an
     * attempt's response headers or before the answer's first chunk, {@code idle} between chunks,
     * or past {@code total} overall. Called by the loop's {@link SilenceWatch} every
     * {@link SilenceWatch#PERIOD_MS} ms from the first attempt to the end.
     */
    void checkSilence(long now) {
        Timeouts timeouts = deployment.timeouts();
        if (awaitingAnswer) {
            if (now - requestSentNanos <= timeouts.firstToken().toNanos()) return;
            awaitingAnswer = false; // the attempt fails with this cause: a 504, which the attempts may retry
            upstreamRequest.reset(CANCEL, new TimeoutException("no answer from the upstream within its first-token timeout"));
            return;
        }
        if (upstreamResponse == null) return; // between attempts
        if (heardSinceCheck) {
            heardSinceCheck = false;
            lastChunkNanos = now;
        }
        boolean silent = !paused && now - lastChunkNanos > (firstByteNanos < 0 ? timeouts.firstToken() : timeouts.idle()).toNanos();
        long total = timeouts.total().toNanos();
        boolean overTime = total > 0 && now - startNanos > total;
        if (!silent && !overTime) return;
        upstreamBroke(new TimeoutException(silent ? "upstream silent too long" : "upstream answer over its total time"));
        upstreamResponse.request().reset();
    }

    /**
     * Tells routing how the deployment did. Only the deployment's own failures count against it:
     * a client that left or sent a bad request says nothing of its health.
     */
    private void releaseDeployment(Outcome outcome, int status) {
        if (health == null) return;
        DeploymentHealth h = health;
        health = null;
        long now = System.nanoTime();
        if (outcome == Outcome.OK) h.releaseSuccess(firstByteNanos < 0 ? -1 : firstByteNanos - sentNanos);
        else if (outcome == Outcome.STREAM_CUT || status >= 500) h.releaseFailure(now);
        else if (status == 429) h.releaseOverloaded(now, retryAfter);
        else h.releaseNeutral();
        if (h.deployment().maxConcurrent() > 0) { // a capped deployment freed a slot: someone may be waiting for it
            capacity.released(model.name());
            if (servedModel != null && servedModel != model) capacity.released(servedModel.name());
        }
    }

    Timeouts deploymentTimeouts() { return deployment.timeouts(); }

    /** The deployment chosen for the current attempt, with its slot taken. */
    void attempt(Deployment deployment, DeploymentHealth health) {
        this.deployment = deployment;
        this.health = health;
        this.sentNanos = System.nanoTime();
    }

    /** The last attempt failed and the next may go elsewhere: give its slot back. */
    void attemptFailed(int status, Duration retryAfter) {
        this.retryAfter = retryAfter;
        releaseDeployment(status <= 0 ? Outcome.STREAM_CUT : Outcome.ERROR, status); // <= 0: no answer at all
    }

    void servedBy(Model model) { this.servedModel = model; }

    boolean isDone() { return done; }

    /** The gateway answers itself (no upstream call). */
    void answerLocally(String json) {
        if (done) return;
        if (capture != null) capture.answered(json);
        response.putHeader("content-type", "application/json").setChunked(true).write(json);
        finish(Outcome.OK, 200, this::endResponse);
    }

    /**
     * The last byte of an answer, sent once its usage is safe (see {@link UsageRecorder#record});
     * with it, in one write, the chunks its last turn gathered, or the whole answer if it was held,
     * framed by its length.
     */
    private void endResponse() {
        try {
            if (held != null) {
                Buffer whole = held;
                held = null;
                response.setChunked(false).end(whole);
            } else if (gathered != null && !response.closed()) {
                Buffer rest = gathered;
                gathered = null;
                gatheredParts = null;
                response.end(rest);
            } else {
                response.end();
            }
        } catch (IllegalStateException e) {
            // the client left while the usage was being written: nothing to end
        }
    }

    /**
     * The limits step let the request go: its {@code x-ratelimit-*} headers go on whatever answer
     * follows. False if the request already ended (the client left while its body was read): the
     * grant is ended here, since no usage event will carry it.
     */
    boolean granted(Grant granted) {
        if (done) {
            granted.end(0, 0);
            return false;
        }
        grant = granted;
        granted.status().writeHeaders(response::putHeader);
        return true;
    }

    /** The limits step refused the request: a 429 with {@code retry-after} and the rate-limit headers. */
    void refused(Refusal refusal) {
        if (done) return;
        refusal.status().writeHeaders(response::putHeader);
        if (refusal.retryAfterSeconds() > 0) response.putHeader("retry-after", Long.toString(refusal.retryAfterSeconds()));
        fail(refusal.error());
    }

    /** The request failed before any answer was relayed. */
    void fail(Throwable failure) {
        fail(failure, Outcome.ERROR);
    }

    private void fail(Throwable failure, Outcome outcome) {
        if (done) return;
        GatewayException error = ErrorResponder.classify(failure);
        if (capture != null && !response.headWritten()) {
            capture.answered(ErrorBodies.json(endpoint.dialect(), error.code(), error.getMessage()));
        }
        ErrorResponder.send(response, endpoint.dialect(), error);
        finish(outcome, error.code().httpStatus());
    }

    private void upstreamBroke(Throwable failure) {
        if (done) return;
        if (held != null) { // half of a whole answer, none of it sent: the client gets a clean error instead
            held = null;
            fail(failure, Outcome.STREAM_CUT);
            return;
        }
        if (!response.headWritten()) {
            fail(failure);
            return;
        }
        boolean timeout = failure instanceof TimeoutException;
        Buffer closing = relay.broke(timeout ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_STREAM_CUT, timeout
                ? "The upstream model server stopped sending in the middle of the stream."
                : "The upstream model server broke off the stream.");
        if (closing != null) {
            if (capture != null) capture.answered(closing);
            writeGathered();
            response.end(closing);
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
        finish(outcome, status, null);
    }

    /** @param sendLastByte for an answer not yet ended: what ends it, once its usage is durable */
    private void finish(Outcome outcome, int status, Runnable sendLastByte) {
        done = true;
        ending = sendLastByte != null;
        silenceWatch.forget(this);
        releaseDeployment(outcome, status);
        inFlight.decrementAndGet();
        long now = System.nanoTime();
        if (capture != null) capture.store(id, startedAt);
        var sample = new ResponseSample(window.head(), window.tail(), window.tailIsWhole(), window.total());
        recorder.record(new UsageEvent(id, startedAt, key == null ? null : key.id(), key == null ? null : key.userId(),
                key == null ? null : key.teamId(), endpoint, servedModel != null ? servedModel : model, askedModel,
                deployment, status, outcome, now - startNanos, firstByteNanos < 0 ? -1 : firstByteNanos - startNanos,
                stream, relay != null && relay.isStream(), upstreamDialect, upstreamBody, sample, grant, trace), context, sendLastByte);
    }
}
