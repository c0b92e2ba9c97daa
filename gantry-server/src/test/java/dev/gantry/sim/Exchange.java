package dev.gantry.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One request being answered: the steps every data-plane endpoint shares, the fault injection
 * that is not protocol-specific, and the bookkeeping of how the exchange ended.
 *
 * <p>Confined to the event loop of its connection, like every Vert.x handler, so its fields need
 * no synchronisation. Nothing here blocks: delays are Vert.x timers, which a peer close cancels.
 *
 * <p>How an exchange ends decides the counters: we end it (answer sent, or connection closed on
 * purpose by a fault) and nothing is counted; the peer closes the connection while a stream is
 * under way and it is a cancelled stream; the peer closes before any response byte (during the
 * latency, or a {@link SimBehaviour.Fault#HANG}) and it is an abandoned request.
 */
final class Exchange {
    private static final Handler<Throwable> IGNORE = t -> { };
    private static final CharSequence JSON_TYPE = HttpHeaders.createOptimized("application/json");
    private static final CharSequence SSE_TYPE =
            HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");
    private static final CharSequence OPENAI_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
    private static final CharSequence ANTHROPIC_REQUEST_ID = HttpHeaders.createOptimized("request-id");

    private final Protocol protocol;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Vertx vertx;
    private final RequestLog log;
    private final String body;
    private SimBehaviour behaviour;
    private JsonNode json;
    private PromptText prompt;

    /** We have ended the exchange: a later close is ours or harmless, not the client leaving. */
    private boolean done;
    private boolean peerClosed;
    private boolean streaming;
    private long timer = -1;
    private final String requestId = Ids.request();
    private Future<Void> lastWrite;

    Exchange(Vertx vertx, HttpServerRequest request, String body, Protocol protocol,
            SimBehaviour behaviour, RequestLog log) {
        this.vertx = vertx;
        this.request = request;
        this.response = request.response();
        this.body = body;
        this.protocol = protocol;
        this.behaviour = behaviour;
        this.log = log;
        // A client that goes away is an expected event here, not something to log per request.
        request.exceptionHandler(IGNORE);
        response.exceptionHandler(IGNORE);
        response.closeHandler(v -> onPeerClosed());
    }

    /** The behaviour for this request: the simulator's, or its {@code SIM{...}} override. */
    SimBehaviour behaviour() {
        return behaviour;
    }

    /** The request body as a JSON object; only after {@link #serve} with {@code jsonBody}. */
    JsonNode json() {
        return json;
    }

    /** The prompt token estimate of the request text; only after {@link #serve} with {@code jsonBody}. */
    int promptTokens() {
        return prompt.tokens();
    }

    /** The request's {@code model}, or null. */
    String model() {
        JsonNode model = json == null ? null : json.get("model");
        return model != null && model.isTextual() ? model.textValue() : null;
    }

    /**
     * Runs what every endpoint does before its own answer, in the order a real server would show
     * it: read the body and its {@code SIM{...}} override, wait {@code latencyMs}, inject the
     * transport faults (reset, hang), check the API key, then {@code anthropic-version}, then the
     * body's JSON, then the injected error status. Only then {@code answer} runs; it validates
     * the endpoint's own fields and sends the answer.
     */
    void serve(boolean jsonBody, Runnable answer) {
        String bodyError = jsonBody ? readBody() : null;
        after(behaviour.latencyMs(), () -> {
            switch (behaviour.fault()) {
                case RESET_BEFORE_RESPONSE -> {
                    closeConnection();
                    return;
                }
                case HANG -> {
                    return; // the peer closing counts as an abandoned request
                }
                default -> { }
            }
            if (!authorized()) {
                sendError(401, ErrorBodies.unauthorized(protocol, presentedKey() != null, requestId));
            } else if (protocol == Protocol.ANTHROPIC && request.getHeader("anthropic-version") == null) {
                sendInvalidRequest("anthropic-version: header is required", null);
            } else if (bodyError != null) {
                sendInvalidRequest(bodyError, null);
            } else if (behaviour.status() != 200) {
                sendError(behaviour.status(), ErrorBodies.forStatus(protocol, behaviour.status(), model(), requestId));
            } else {
                answer.run();
            }
        });
    }

    /** Parses the body and applies its override; returns why the body is unacceptable, or null. */
    private String readBody() {
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            json = null;
            return protocol == Protocol.OPENAI
                    ? "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
                            + " using your HTTP library correctly. The OpenAI API expects a JSON payload.)"
                    : "There was an error parsing the body of the request.";
        }
        prompt = PromptText.scan(json);
        if (prompt.markerText() != null) {
            try {
                behaviour = behaviour.overlayFromMarker(prompt.markerText(), prompt.markerAt());
            } catch (IOException e) {
                return "simulator: bad SIM{...} override: " + e.getMessage();
            }
        }
        return null;
    }

    private boolean authorized() {
        String expected = behaviour.expectedApiKey();
        return expected == null || expected.equals(presentedKey());
    }

    private String presentedKey() {
        if (protocol == Protocol.ANTHROPIC) {
            return request.getHeader("x-api-key");
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
    }

    /** Runs {@code action} after {@code delayMs} on this event loop, unless the peer leaves first. */
    void after(long delayMs, Runnable action) {
        if (delayMs <= 0) {
            action.run();
            return;
        }
        timer = vertx.setTimer(delayMs, id -> {
            timer = -1;
            if (!peerClosed) {
                action.run();
            }
        });
    }

    /** An error answer, with {@code retry-after} when the behaviour sets one. */
    void sendError(int status, String errorJson) {
        if (behaviour.retryAfterSeconds() >= 0) {
            response.putHeader(RETRY_AFTER, Integer.toString(behaviour.retryAfterSeconds()));
        }
        sendJson(status, errorJson);
    }

    /** A 400 {@code invalid_request_error} for a request the real server would refuse. */
    void sendInvalidRequest(String message, String param) {
        sendError(400, ErrorBodies.invalidRequest(protocol, message, param, requestId));
    }

    /** A complete JSON answer, as is. */
    void sendJson(int status, String json) {
        if (peerClosed) {
            return;
        }
        done = true;
        head(status, JSON_TYPE).end(json);
    }

    /**
     * A successful JSON answer, with the body faults applied: {@link SimBehaviour.Fault#CUT_MID_STREAM}
     * announces the full length, sends half and closes the connection;
     * {@link SimBehaviour.Fault#MALFORMED_SSE} sends half the JSON as a complete body.
     */
    void sendAnswer(String json) {
        if (peerClosed) {
            return;
        }
        switch (behaviour.fault()) {
            case CUT_MID_STREAM -> {
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                done = true;
                head(200, JSON_TYPE).putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.length));
                lastWrite = response.write(Buffer.buffer(bytes).getBuffer(0, bytes.length / 2));
                cut();
            }
            case MALFORMED_SSE -> sendJson(200, json.substring(0, json.length() / 2));
            default -> sendJson(200, json);
        }
    }

    /** Sends the head of an SSE stream (with the first write). */
    void startStream() {
        streaming = true;
        head(200, SSE_TYPE).putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE).setChunked(true);
    }

    /** Writes one SSE frame; false when the peer has gone and the stream must stop. */
    boolean write(String frame) {
        if (peerClosed) {
            return false;
        }
        lastWrite = response.write(frame);
        return true;
    }

    void endStream() {
        if (peerClosed) {
            return;
        }
        done = true;
        response.end();
    }

    /** Closes the connection abruptly once what was written so far has left: a stream cut short. */
    void cut() {
        done = true;
        if (lastWrite == null) {
            lastWrite = response.writeHead();
        }
        lastWrite.onComplete(ar -> request.connection().close());
    }

    /** Closes the connection without a response. */
    void closeConnection() {
        done = true;
        request.connection().close();
    }

    private HttpServerResponse head(int status, CharSequence contentType) {
        return response
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(protocol == Protocol.OPENAI ? OPENAI_REQUEST_ID : ANTHROPIC_REQUEST_ID, requestId);
    }

    private void onPeerClosed() {
        if (peerClosed) {
            return;
        }
        peerClosed = true;
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (!done) {
            if (streaming) {
                log.streamCancelled();
            } else {
                log.requestAbandoned();
            }
        }
    }
}
