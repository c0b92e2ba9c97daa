package dev.gantry.server.proxy;

import dev.gantry.server.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.function.Consumer;

/**
 * Sends requests to upstream model servers. One per event loop (PERF-NOTES: a pooled client per
 * loop keeps each request on the thread that serves its client).
 *
 * <p>Connections are kept alive for {@link #KEEP_ALIVE_SECONDS}, under the 5 s that uvicorn (vLLM,
 * SGLang) keeps idle connections, so the gateway rarely reuses a connection the upstream is about
 * to close. When it happens anyway the request fails before any response byte with
 * {@link HttpClosedException} at once; nothing was answered, so it is sent once more on a fresh
 * connection.
 * Pipelining stays off: cancelling one request would reset the connection under the others.
 */
public final class UpstreamClient {
    static final int KEEP_ALIVE_SECONDS = 4;
    private static final int MAX_CONNECTIONS_PER_HOST = 2048;
    /**
     * A stale pooled connection fails at once; a close after longer means the upstream went down
     * mid-work, and resending would pay for the tokens twice (the retry policy decides that).
     */
    private static final long STALE_CONNECTION_NANOS = 200_000_000;

    private final HttpClientAgent client;

    public UpstreamClient(Vertx vertx) {
        this.client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                        .setTcpNoDelay(true).setPipelining(false).setDecompressionSupported(false))
                .with(new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_HOST))
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
        var options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setSsl(target.ssl()).setHost(target.host()).setPort(target.port()).setURI(target.path())
                .setHeaders(target.headers())
                .setConnectTimeout(target.timeouts().connect().toMillis()); // the first-token wait: ProxyExchange#checkSilence
        return client.request(options).compose(request -> {
            onRequest.accept(request);
            return request.send(body);
        });
    }

    public Future<Void> close() { return client.close(); }
}
