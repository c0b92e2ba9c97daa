package dev.gantry.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The load generator's HTTP side: Vert.x on the native transport, one event loop per
 * {@code loops}, and on each loop its own pooled HTTP/1.1 client, used only from that loop, so a
 * request's callbacks never hop threads (the same layout as the gateway's upstream clients).
 *
 * <p>{@link #send} must be called on the loop's context ({@link #context(int)}); the listener runs
 * there too, exactly once per call.
 */
final class LoadClient implements AutoCloseable {
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence SSE = HttpHeaders.createOptimized("text/event-stream");
    private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("gantry-bench/0.1");

    private final Vertx vertx;
    private final Context[] contexts;
    private final HttpClientAgent[] clients;
    private final long requestTimeoutMs;
    private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> sent =
            new java.util.concurrent.ConcurrentHashMap<>();

    LoadClient(int loops, int poolSizePerLoop, long requestTimeoutMs) {
        this.requestTimeoutMs = requestTimeoutMs;
        Transport transport = Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
        this.vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(1).setInternalBlockingPoolSize(1))
                .withTransport(transport)
                .build();
        this.contexts = new Context[loops];
        this.clients = new HttpClientAgent[loops];
        for (int i = 0; i < loops; i++) {
            Context context = vertx.getOrCreateContext(); // round robin over the event loops
            contexts[i] = context;
            int index = i;
            onContext(context, () -> clients[index] = vertx.httpClientBuilder()
                    .with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60).setTcpNoDelay(true)
                            .setPipelining(false).setDecompressionSupported(false).setMaxRedirects(0))
                    .with(new PoolOptions().setHttp1MaxSize(poolSizePerLoop).setMaxWaitQueueSize(-1))
                    .build());
        }
    }

    int loops() {
        return contexts.length;
    }

    Context context(int loop) {
        return contexts[loop];
    }

    String transportName() {
        return vertx.isNativeTransportEnabled() ? "epoll" : "nio";
    }

    /** Sends {@code call}'s request on loop {@code loop}; must run on that loop's context. */
    void send(int loop, Target target, Call call, Consumer<Call> done) {
        Api api = call.request.api();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host()).setPort(target.port()).setURI(api.path)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(HttpHeaders.ACCEPT, call.stream ? SSE : JSON)
                .putHeader(HttpHeaders.USER_AGENT, USER_AGENT)
                .putHeader(HttpHeaders.AUTHORIZATION, target.authorization())
                .setConnectTimeout(5_000)
                .setIdleTimeout(requestTimeoutMs);
        if (api.headerName != null) options.putHeader(api.headerName, api.headerValue);
        byte[] body = call.request.body();
        boolean[] finished = new boolean[1];
        Consumer<Throwable> fail = t -> {
            if (finished[0]) return;
            finished[0] = true;
            call.onFailure(t);
            done.accept(call);
        };
        call.sentNanos = System.nanoTime();
        sent.computeIfAbsent(target.name(), k -> new java.util.concurrent.atomic.LongAdder()).increment();
        clients[loop].request(options).onComplete(requested -> {
            if (requested.failed()) {
                fail.accept(requested.cause());
                return;
            }
            requested.result().send(Buffer.buffer(body)).onComplete(sent -> {
                if (sent.failed()) {
                    fail.accept(sent.cause());
                    return;
                }
                HttpClientResponse response = sent.result();
                call.headersNanos = System.nanoTime();
                call.status = response.statusCode();
                response.handler(call::onBody);
                response.exceptionHandler(fail::accept);
                response.endHandler(v -> {
                    if (finished[0]) return;
                    finished[0] = true;
                    call.onEnd();
                    done.accept(call);
                });
            });
        });
    }

    /** Requests sent to the target named {@code name} so far. */
    long sentTo(String name) {
        var adder = sent.get(name);
        return adder == null ? 0 : adder.sum();
    }

    /** Runs {@code action} on {@code context} and waits for it. */
    static void onContext(Context context, Runnable action) {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.run();
                ran.complete(null);
            } catch (RuntimeException e) {
                ran.completeExceptionally(e);
            }
        });
        ran.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
    }
}
