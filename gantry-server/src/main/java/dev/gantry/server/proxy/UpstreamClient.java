package dev.gantry.server.proxy;

import dev.gantry.catalog.ProviderTls;
import dev.gantry.server.provider.UpstreamRequest;
import dev.gantry.server.provider.UpstreamTls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sends requests to upstream model servers. One per event loop, used only on that loop (PERF-NOTES:
 * a client per loop keeps each request on the thread that serves its client).
 *
 * <p>It keeps its own idle connections per upstream origin, newest on top, instead of leasing from
 * Vert.x's connection pool. The pool's lease made a context, a promise and a waiter per request and
 * looked through every connection it held for a free one: a twentieth of the gateway's CPU at
 * 1,000 req/s (profiled). Here a request takes the connection used last, which is also the one
 * whose memory is most likely still in the CPU's caches.
 *
 * <p>Idle connections are kept for {@link #KEEP_ALIVE}. A connection opened during a burst
 * (after one of the host's stalls, say) is then still there for the next burst, instead of being
 * opened again, on cold code, just when requests are waiting. Servers that close idle connections
 * sooner (uvicorn, under vLLM and SGLang, after 5 s) send a FIN, which takes the connection out at
 * once; if a request still meets a connection the upstream has just closed, it fails before any
 * response byte with {@link HttpClosedException} at once, nothing was answered, and it is sent once
 * more on a fresh connection. 30 s stays under the idle timeouts of the usual load balancers in
 * front of model servers (60 s and more), which drop connections without telling either side.
 * Pipelining stays off: cancelling one request would reset the connection under the others.
 */
public final class UpstreamClient {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    /**
     * A stale idle connection fails at once; a close after longer means the upstream went down
     * mid-work, and resending would pay for the tokens twice (the retry policy decides that).
     */
    private static final long STALE_CONNECTION_NANOS = 200_000_000;

    private final Vertx vertx;
    private final long keepAliveNanos;
    private final HttpClientAgent client;
    private final Map<Origin, ArrayDeque<Connection>> idle = new HashMap<>();
    private long sweepTimer = -1;

    public UpstreamClient(Vertx vertx) {
        this(vertx, KEEP_ALIVE);
    }

    UpstreamClient(Vertx vertx, Duration keepAlive) {
        this.vertx = vertx;
        this.keepAliveNanos = keepAlive.toNanos();
        this.client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setTcpNoDelay(true).setPipelining(false).setDecompressionSupported(false))
                .build();
    }

    /**
     * Sends the request; {@code onRequest} receives each attempt's request so the caller can
     * cancel it when its client goes away.
     */
    public Future<HttpClientResponse> send(UpstreamRequest target, Buffer body, Consumer<HttpClientRequest> onRequest) {
        long sent = System.nanoTime();
        return attempt(target, body, onRequest).recover(failure -> failure instanceof HttpClosedException
                && System.nanoTime() - sent < STALE_CONNECTION_NANOS
                ? attempt(target, body, onRequest)
                : Future.failedFuture(failure));
    }

    private Future<HttpClientResponse> attempt(UpstreamRequest target, Buffer body, Consumer<HttpClientRequest> onRequest) {
        Origin origin = new Origin(target.ssl(), target.host(), target.port(), target.tls());
        Connection connection = takeIdle(origin);
        Future<Connection> ready = connection != null ? Future.succeededFuture(connection) : connect(origin, target);
        var options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host()).setPort(target.port())
                .setURI(target.path()).setHeaders(target.headers());
        return ready.compose(open -> open.http.request(options).compose(request -> {
            onRequest.accept(request);
            return request.send(body).onSuccess(response -> response.end().onSuccess(ended -> giveBack(open, response)));
        }));
    }

    /**
     * A new connection, or a {@link TimeoutException} (a 504) after the deployment's connect timeout:
     * the TCP connect's own timeout is the client's, shared by every upstream of this loop.
     */
    private Future<Connection> connect(Origin origin, UpstreamRequest target) {
        long timeoutMs = Math.max(1, target.timeouts().connect().toMillis());
        Promise<Connection> promise = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> promise.tryFail(new TimeoutException(
                "no connection to " + origin.host + ":" + origin.port + " within " + timeoutMs + " ms")));
        var options = new HttpConnectOptions().setSsl(origin.ssl).setHost(origin.host).setPort(origin.port);
        if (origin.tls != null) options.setSslOptions(UpstreamTls.options(origin.tls));
        client.connect(options)
                .onComplete(http -> {
                    vertx.cancelTimer(timer);
                    if (http.failed()) {
                        promise.tryFail(http.cause());
                        return;
                    }
                    var connection = new Connection(origin, http.result());
                    http.result().closeHandler(closed -> connection.closed = true);
                    if (!promise.tryComplete(connection)) http.result().close(); // it came after the timeout
                });
        return promise.future();
    }

    /** The connection used last for this origin, or null; expired ones are closed on the way. */
    private Connection takeIdle(Origin origin) {
        ArrayDeque<Connection> stack = idle.get(origin);
        if (stack == null) return null;
        long now = System.nanoTime();
        Connection connection;
        while ((connection = stack.pollLast()) != null) {
            if (connection.closed) continue;
            if (now - connection.idleSince < keepAliveNanos) return connection;
            connection.http.close(); // the rest of the stack is older still
            closeAll(stack);
        }
        return null;
    }

    /** After a whole answer: the connection can carry the next request, unless either side is closing it. */
    private void giveBack(Connection connection, HttpClientResponse response) {
        if (connection.closed || response.version() == HttpVersion.HTTP_1_0
                || "close".equalsIgnoreCase(response.getHeader(HttpHeaders.CONNECTION))) {
            return;
        }
        connection.idleSince = System.nanoTime();
        idle.computeIfAbsent(connection.origin, key -> new ArrayDeque<>()).addLast(connection);
        if (sweepTimer < 0) sweepTimer = vertx.setPeriodic(Math.max(1, keepAliveNanos / 2_000_000), id -> sweep());
    }

    /** Closes connections idle for longer than the keep-alive; stops when none is left. */
    private void sweep() {
        long now = System.nanoTime();
        var stacks = idle.values().iterator();
        while (stacks.hasNext()) {
            ArrayDeque<Connection> stack = stacks.next();
            Connection oldest;
            while ((oldest = stack.peekFirst()) != null && (oldest.closed || now - oldest.idleSince >= keepAliveNanos)) {
                stack.pollFirst().http.close();
            }
            if (stack.isEmpty()) stacks.remove();
        }
        if (idle.isEmpty()) {
            vertx.cancelTimer(sweepTimer);
            sweepTimer = -1;
        }
    }

    private static void closeAll(ArrayDeque<Connection> stack) {
        Connection connection;
        while ((connection = stack.pollFirst()) != null) connection.http.close();
    }

    /** Closes the idle connections and the client; call on this client's event loop. */
    public Future<Void> close() {
        if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
        idle.values().forEach(UpstreamClient::closeAll);
        idle.clear();
        return client.close();
    }

    /** Where connections go; a provider with TLS settings of its own has connections of its own. */
    private record Origin(boolean ssl, String host, int port, ProviderTls tls) {}

    private static final class Connection {
        final Origin origin;
        final HttpClientConnection http;
        boolean closed;
        long idleSince;

        Connection(Origin origin, HttpClientConnection http) {
            this.origin = origin;
            this.http = http;
        }
    }
}
