package dev.gantry.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.catalog.ProviderTls;
import dev.gantry.catalog.Secret;
import dev.gantry.catalog.Timeouts;
import dev.gantry.server.provider.UpstreamRequest;
import dev.gantry.sim.TestCertificate;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemTrustOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream client's own connection keeping, against a real HTTP server on loopback that counts
 * the connections it is given: which requests share one, and when a connection must not be used
 * again; and whom it trusts over TLS.
 */
class UpstreamClientTest {
    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    /** Requests served per connection, so an answer can depend on it. */
    private final Map<HttpConnection, AtomicInteger> served = new ConcurrentHashMap<>();
    private volatile Handler<HttpServerRequest> answer = request -> request.response().end("ok");
    private HttpServer server;
    private Context loop;

    @BeforeEach
    void start() {
        server = vertx.createHttpServer()
                .connectionHandler(connection -> {
                    connections.incrementAndGet();
                    open.add(connection);
                    connection.closeHandler(closed -> open.remove(connection));
                })
                .requestHandler(request -> {
                    served.computeIfAbsent(request.connection(), c -> new AtomicInteger()).incrementAndGet();
                    answer.handle(request);
                })
                .listen(0, "127.0.0.1").await();
        loop = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void requestsOneAfterAnotherShareOneConnection() throws Exception {
        var client = new UpstreamClient(vertx);
        for (int i = 0; i < 5; i++) assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        assertThat(connections).hasValue(1);
    }

    @Test
    void theConnectionsOfABurstAreThereForTheNextBurst() throws Exception {
        answer = request -> vertx.setTimer(100, id -> request.response().end("ok"));
        var client = new UpstreamClient(vertx);
        for (int burst = 0; burst < 2; burst++) {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) calls.add(start(client, server.actualPort()));
            for (var call : calls) assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("200 ok");
            assertThat(connections).as("after burst %d", burst + 1).hasValue(4);
        }
    }

    @Test
    void aConnectionTheUpstreamClosedIsNotUsedAgain() throws Exception {
        var client = new UpstreamClient(vertx);
        assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        open.forEach(HttpConnection::close); // as uvicorn does to a connection idle for 5 s
        Thread.sleep(200); // its FIN reaches the client
        assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        assertThat(connections).hasValue(2);
    }

    @Test
    void anAnswerWithConnectionCloseIsTheConnectionsLast() throws Exception {
        answer = request -> request.response().putHeader("connection", "close").end("ok");
        var client = new UpstreamClient(vertx);
        assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        assertThat(connections).hasValue(2);
    }

    @Test
    void aRequestThatMeetsAStaleConnectionIsSentAgainOnAFreshOne() throws Exception {
        // the upstream closes the connection when the second request arrives on it, unanswered:
        // the race of a request sent just as the upstream gives up an idle connection
        answer = request -> {
            if (served.get(request.connection()).get() > 1) request.connection().close();
            else request.response().end("ok");
        };
        var client = new UpstreamClient(vertx);
        assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        assertThat(connections).hasValue(2);
    }

    @Test
    void idleConnectionsAreClosedAfterTheKeepAlive() throws Exception {
        var client = new UpstreamClient(vertx, Duration.ofMillis(300));
        assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        assertThat(open).hasSize(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!open.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(open).as("connections still open 5 s after a 300 ms keep-alive").isEmpty();
        assertThat(call(client, server.actualPort())).isEqualTo("200 ok");
        assertThat(connections).hasValue(2);
    }

    @Test
    void anUpstreamThatDoesNotAcceptInTimeIsATimeout() throws Exception {
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = fillAcceptQueue(listener);
            try {
                var client = new UpstreamClient(vertx);
                long started = System.nanoTime();
                var call = start(client, listener.getLocalPort(), Duration.ofMillis(300));
                assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("within 300 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            } finally {
                for (Socket socket : queued) socket.close();
            }
        }
    }

    @Test
    void anHttpsUpstreamWhoseCertificateNoTrustStoreKnowsIsRefused(@TempDir Path dir) throws Exception {
        // the handshake must fail, which only TLS can do
        int port = tlsServer(TestCertificate.make(dir, "server", "ip:127.0.0.1"), null);
        var call = start(new UpstreamClient(vertx), tlsRequest(port, "127.0.0.1", null));
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void anHttpsUpstreamIsTrustedThroughTheProvidersOwnCertificateAuthority(@TempDir Path dir) throws Exception {
        var server = TestCertificate.make(dir, "server", "ip:127.0.0.1");
        int port = tlsServer(server, null);
        var client = new UpstreamClient(vertx);
        var trusted = tlsRequest(port, "127.0.0.1", new ProviderTls(Files.readString(server.pem()), null, new Secret(null)));
        assertThat(start(client, trusted).get(10, TimeUnit.SECONDS)).isEqualTo("200 ok over TLS");
        assertThat(start(client, trusted).get(10, TimeUnit.SECONDS)).isEqualTo("200 ok over TLS");
        assertThat(connections).as("the TLS connection was kept for the second request").hasValue(1);
        // the same server without the provider's authority is another origin: its own connection, refused
        var untrusted = start(client, tlsRequest(port, "127.0.0.1", null));
        assertThatThrownBy(() -> untrusted.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused(@TempDir Path dir) throws Exception {
        var server = TestCertificate.make(dir, "server", "dns:model-server.internal");
        int port = tlsServer(server, null);
        var call = start(new UpstreamClient(vertx),
                tlsRequest(port, "127.0.0.1", new ProviderTls(Files.readString(server.pem()), null, new Secret(null))));
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(SSLHandshakeException.class)
                .rootCause().hasMessageContaining("127.0.0.1");
    }

    @Test
    void anUpstreamThatAsksForAClientCertificateGetsTheProvidersOne(@TempDir Path dir) throws Exception {
        var server = TestCertificate.make(dir, "server", "ip:127.0.0.1");
        var gateway = TestCertificate.make(dir, "gateway", "dns:gantry.internal");
        int port = tlsServer(server, gateway);
        var client = new UpstreamClient(vertx);
        String ca = Files.readString(server.pem());
        var withCertificate = tlsRequest(port, "127.0.0.1",
                new ProviderTls(ca, Files.readString(gateway.pem()), new Secret(Files.readString(gateway.keyPem()))));
        assertThat(start(client, withCertificate).get(10, TimeUnit.SECONDS)).isEqualTo("200 ok over TLS");
        // without one, the server ends the handshake
        var without = start(client, tlsRequest(port, "127.0.0.1", new ProviderTls(ca, null, new Secret(null))));
        assertThatThrownBy(() -> without.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SSLHandshakeException.class)
                .hasRootCauseMessage("(certificate_required) Received fatal alert: certificate_required");
        assertThat(connections).as("only the handshake with the certificate came through").hasValue(1);
    }

    /**
     * An https server on loopback that says whether the request came over TLS; its connections are
     * counted. With {@code client}, it admits only clients that show that certificate.
     */
    private int tlsServer(TestCertificate certificate, TestCertificate client) {
        var options = new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
        if (client != null) options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(client.pem().toString()));
        return vertx.createHttpServer(options)
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(request -> request.response().end(request.isSSL() ? "ok over TLS" : "ok in clear"))
                .listen(0, "127.0.0.1").await().actualPort();
    }

    private static UpstreamRequest tlsRequest(int port, String host, ProviderTls tls) {
        return new UpstreamRequest(true, host, port, "/v1/messages", MultiMap.caseInsensitiveMultiMap(), Timeouts.DEFAULT, tls);
    }

    /** Connects to a listener that never accepts until its queue is full and it drops new SYNs. */
    private static List<Socket> fillAcceptQueue(ServerSocket listener) throws Exception {
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            var socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 200);
                queued.add(socket);
            } catch (SocketTimeoutException full) {
                socket.close();
                return queued;
            }
        }
        throw new AssertionError("the listener kept accepting connections into its queue");
    }

    private String call(UpstreamClient client, int port) throws Exception {
        return start(client, port).get(5, TimeUnit.SECONDS);
    }

    private CompletableFuture<String> start(UpstreamClient client, int port) {
        return start(client, port, Timeouts.DEFAULT.connect());
    }

    private CompletableFuture<String> start(UpstreamClient client, int port, Duration connectTimeout) {
        return start(client, new UpstreamRequest(false, "127.0.0.1", port, "/v1/chat/completions", MultiMap.caseInsensitiveMultiMap(),
                new Timeouts(connectTimeout, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO), null));
    }

    /** Sends one request from the client's event loop, as the gateway does; "status body" when it ends. */
    private CompletableFuture<String> start(UpstreamClient client, UpstreamRequest target) {
        var done = new CompletableFuture<String>();
        loop.runOnContext(v -> client.send(target, Buffer.buffer("{}"), request -> {})
                .compose(response -> response.body().map(body -> response.statusCode() + " " + body))
                .onComplete(result -> {
                    if (result.succeeded()) done.complete(result.result());
                    else done.completeExceptionally(result.cause());
                }));
        return done;
    }
}
