package dev.gantry.bench;

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
import java.util.Set;
import java.util.concurrent.CountDownLatch;

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
    private BareProxy() {}

    public static void main(String[] args) throws Exception {
        CalibrationProxy proxy = CalibrationProxy.fromArgs(args);
        UsageTail.startReader();
        Transport transport = EventLoopTransport.pick(NetworkTransport.AUTO); // as gantry serve picks it
        Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(proxy.loops())).withTransport(transport).build();
        Set<String> keys = Set.of(proxy.key());
        vertx.deployVerticle(() -> new Loop(vertx, proxy.upstream(), keys, proxy.port()), new DeploymentOptions().setInstances(proxy.loops()))
                .toCompletionStage().toCompletableFuture().join();
        proxy.listening(transport.name());
        new CountDownLatch(1).await();
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
            try {
                CalibrationProxy.isStream(body.getBytes());
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
            UsageTail tail = new UsageTail();
            upstream.handler(chunk -> {
                tail.add(chunk);
                response.write(chunk);
                if (response.writeQueueFull()) {
                    upstream.pause();
                    response.drainHandler(v -> upstream.resume());
                }
            });
            upstream.exceptionHandler(t -> response.reset());
            upstream.endHandler(v -> {
                response.end();
                tail.end();
            });
            response.closeHandler(v -> {
                if (!response.ended()) upstream.request().reset();
            });
        }
    }
}
