package dev.gantry.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gantry.config.GatewayConfig.NetworkTransport;
import dev.gantry.server.http.EventLoopTransport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calibration, not product: a featureless Vert.x pass-through proxy as PERF-NOTES describes the
 * one it measured (key checked against an in-memory set, {@code model}/{@code stream} read with
 * Jackson's streaming parser, one pooled client per event loop, the answer relayed with
 * back-pressure, usage parsed from a window of the end of the body on a background thread).
 * {@code bench/run --against-bare-proxy} measures it in Gantry's place, so that a run on a given
 * machine on a given day says what "as fast as a bare proxy" means there.
 *
 * <p>{@code BareProxy --upstream http://127.0.0.1:PORT --key KEY [--port N] [--event-loops N]};
 * prints {@code bare proxy listening on PORT, transport NAME}.
 */
public final class BareProxy {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int WINDOW = 4096;
    private static final BlockingQueue<byte[]> USAGE = new ArrayBlockingQueue<>(100_000);
    private static final AtomicLong USAGE_SEEN = new AtomicLong();

    private BareProxy() {}

    public static void main(String[] args) throws Exception {
        // Netty as `gantry serve` sets it up, so that a calibration compares like with like
        if (System.getProperty("io.netty.buffer.checkAccessible") == null) System.setProperty("io.netty.buffer.checkAccessible", "false");
        if (System.getProperty("io.netty.allocator.type") == null) System.setProperty("io.netty.allocator.type", "pooled");
        URI upstream = null;
        String key = null;
        int port = 0;
        int loops = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--upstream" -> upstream = URI.create(args[i + 1]);
                case "--key" -> key = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--event-loops" -> loops = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (upstream == null || key == null) throw new IllegalArgumentException("--upstream and --key are required");
        Thread.ofPlatform().daemon().name("usage").start(BareProxy::drainUsage);
        Transport transport = EventLoopTransport.pick(NetworkTransport.AUTO); // as gantry serve picks it
        Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(loops)).withTransport(transport).build();
        int listen = port == 0 ? freePort() : port;
        URI up = upstream;
        Set<String> keys = Set.of(key);
        vertx.deployVerticle(() -> new Loop(vertx, up, keys, listen), new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().join();
        System.out.println("bare proxy listening on " + listen + ", transport " + transport.name());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The usage thread: finds the usage object in each body's tail, as a real proxy would price it. */
    private static void drainUsage() {
        byte[] needle = "\"completion_tokens\"".getBytes(StandardCharsets.US_ASCII);
        while (true) {
            try {
                byte[] tail = USAGE.take();
                String s = new String(tail, StandardCharsets.UTF_8);
                if (s.indexOf(new String(needle, StandardCharsets.US_ASCII)) >= 0) USAGE_SEEN.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static final class Loop extends VerticleBase {
        private final URI upstream;
        private final Set<String> keys;
        private final int port;
        private final HttpClientAgent client;

        /** Builds the client here, not in start(): see GatewayVerticle's upstream client (one loop for all otherwise). */
        Loop(Vertx vertx, URI upstream, Set<String> keys, int port) {
            this.upstream = upstream;
            this.keys = keys;
            this.port = port;
            this.client = vertx.httpClientBuilder()
                    .with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(4).setTcpNoDelay(true))
                    .with(new PoolOptions().setHttp1MaxSize(2048)).build();
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setPort(port).setHost("127.0.0.1"))
                    .requestHandler(this::handle).listen();
        }

        private void handle(HttpServerRequest request) {
            String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (auth == null || !auth.startsWith("Bearer ") || !keys.contains(auth.substring(7))) {
                request.response().setStatusCode(401).end("{\"error\":{\"message\":\"bad key\"}}");
                return;
            }
            request.body().onSuccess(body -> forward(request, body)).onFailure(t -> request.response().reset());
        }

        private void forward(HttpServerRequest request, Buffer body) {
            boolean stream = false;
            try (JsonParser p = JSON.createParser(body.getBytes())) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken t = p.nextToken();
                        if (name.equals("stream")) stream = t == JsonToken.VALUE_TRUE;
                        else if (name.equals("model")) p.getText();
                        else p.skipChildren();
                    }
                }
            } catch (IOException e) {
                request.response().setStatusCode(400).end("{\"error\":{\"message\":\"bad json\"}}");
                return;
            }
            HttpServerResponse response = request.response();
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(upstream.getHost())
                    .setPort(upstream.getPort()).setURI(request.uri())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.AUTHORIZATION, "Bearer sk-upstream");
            client.request(options).compose(r -> r.send(body)).onComplete(ar -> {
                if (ar.failed()) {
                    response.setStatusCode(502).end("{\"error\":{\"message\":\"upstream failed\"}}");
                    return;
                }
                relay(ar.result(), response);
            });
        }

        private static void relay(HttpClientResponse upstream, HttpServerResponse response) {
            response.setStatusCode(upstream.statusCode());
            String type = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null) response.putHeader(HttpHeaders.CONTENT_TYPE, type);
            String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
            else response.setChunked(true);
            byte[] window = new byte[WINDOW];
            int[] filled = {0};
            upstream.handler(chunk -> {
                int n = chunk.length();
                if (n >= WINDOW) {
                    chunk.getBytes(n - WINDOW, n, window, 0);
                    filled[0] = WINDOW;
                } else {
                    int keep = Math.min(filled[0], WINDOW - n);
                    System.arraycopy(window, filled[0] - keep, window, 0, keep);
                    chunk.getBytes(0, n, window, keep);
                    filled[0] = keep + n;
                }
                response.write(chunk);
                if (response.writeQueueFull()) {
                    upstream.pause();
                    response.drainHandler(v -> upstream.resume());
                }
            });
            upstream.exceptionHandler(t -> response.reset());
            upstream.endHandler(v -> {
                response.end();
                byte[] tail = java.util.Arrays.copyOf(window, filled[0]);
                USAGE.offer(tail);
            });
            response.closeHandler(v -> {
                if (!response.ended()) upstream.request().reset();
            });
        }
    }
}
