package dev.gantry.sim;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * A simulated upstream model server, speaking OpenAI's and Anthropic's wire formats over real
 * loopback HTTP: what the gateway's integration tests, end-to-end tests and benchmark run against.
 *
 * <pre>{@code
 * try (UpstreamSimulator sim = UpstreamSimulator.start(SimBehaviour.healthy())) {
 *   // point a provider's base_url at sim.baseUrl() + "/v1" (OpenAI) or sim.baseUrl() (Anthropic)
 *   sim.behaviour(SimBehaviour.healthy().withStatus(429, 2));   // fault injection
 *   sim.lastRequest().header("authorization");                  // what the gateway sent
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /v1/chat/completions}, {@code POST /v1/embeddings},
 * {@code GET /v1/models}, {@code POST /v1/messages}, {@code POST /v1/messages/count_tokens},
 * {@code GET /health}, and the {@code /sim/...} control endpoints of {@link ControlEndpoints}.
 * The behaviour applies to every request unless a message text carries {@code SIM{...json...}}.
 *
 * <p>Built to cost the benchmark little: Vert.x on the native epoll transport when it loads,
 * one event loop by default, no blocking and no logging per request, responses written as
 * text without object mapping. HTTP/1.1 only (no h2c), as vLLM and most model servers.
 */
public final class UpstreamSimulator implements AutoCloseable {
    /** What {@code GET /v1/models} lists unless {@link #models(List)} says otherwise. */
    public static final List<String> DEFAULT_MODELS = List.of(
            "gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "claude-sonnet-4-5", "claude-haiku-4-5");

    private static final Handler<Throwable> IGNORE = t -> { };
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final RequestLog log = new RequestLog(RequestLog.DEFAULT_CAPACITY);
    private final String host;
    /** The server's certificate and whom it asks for a client certificate, when it speaks https; null for plain http. */
    private final Tls tls;
    private volatile SimBehaviour behaviour;
    private volatile List<String> models = DEFAULT_MODELS;
    private int port;

    /** @param clients whose client certificates it requires, or null to ask for none */
    private record Tls(KeyCertOptions certificate, TrustOptions clients) {}

    private UpstreamSimulator(Vertx vertx, String host, Tls tls, SimBehaviour behaviour) {
        this.vertx = vertx;
        this.host = host;
        this.tls = tls;
        this.behaviour = behaviour;
    }

    /** Starts on a random free port of 127.0.0.1 with one event loop; returns once listening. */
    public static UpstreamSimulator start(SimBehaviour behaviour) {
        return start(behaviour, "127.0.0.1", 0, 1);
    }

    /** Starts speaking https with {@code certificate} on a random free port of 127.0.0.1, with one event loop. */
    public static UpstreamSimulator startTls(SimBehaviour behaviour, KeyCertOptions certificate) {
        return start(behaviour, "127.0.0.1", 0, 1, new Tls(Objects.requireNonNull(certificate, "certificate"), null));
    }

    /** The same, admitting only clients that show a certificate {@code clients} trusts (mutual TLS). */
    public static UpstreamSimulator startTls(SimBehaviour behaviour, KeyCertOptions certificate, TrustOptions clients) {
        return start(behaviour, "127.0.0.1", 0, 1, new Tls(Objects.requireNonNull(certificate, "certificate"),
                Objects.requireNonNull(clients, "clients")));
    }

    /**
     * Starts and returns once listening.
     *
     * @param port the port, 0 for a random free one
     * @param eventLoops event loops serving connections (one server instance on each)
     */
    public static UpstreamSimulator start(SimBehaviour behaviour, String host, int port, int eventLoops) {
        return start(behaviour, host, port, eventLoops, null);
    }

    private static UpstreamSimulator start(SimBehaviour behaviour, String host, int port, int eventLoops, Tls tls) {
        Objects.requireNonNull(behaviour, "behaviour");
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1");
        }
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1)
                        .setInternalBlockingPoolSize(1))
                .withTransport(transport())
                .build();
        UpstreamSimulator sim = new UpstreamSimulator(vertx, host, tls, behaviour);
        try {
            sim.listen(port, eventLoops);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        return sim;
    }

    /** Epoll when its native library loads (20 % less CPU per stream), else NIO. */
    private static Transport transport() {
        try {
            return Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
        } catch (LinkageError e) {
            return Transport.NIO;
        }
    }

    private void listen(int requestedPort, int eventLoops) {
        ControlEndpoints control = new ControlEndpoints(this::behaviour, this::behaviour, log);
        SimRouter router = new SimRouter(vertx, this::behaviour, log, new OpenAiEndpoints(this::models),
                new AnthropicEndpoints(this::models), control);
        if (eventLoops == 1) {
            ServerVerticle server = new ServerVerticle(router, host, requestedPort, tls);
            await(vertx.deployVerticle(server));
            port = server.actualPort;
            return;
        }
        // Several servers on one port share it, Vert.x spreading the connections over their event
        // loops, but only when the port is named: servers asked for port 0 each get their own. So a
        // random port is found first, and taken again if someone else took it in between.
        for (int attempt = 1; ; attempt++) {
            int candidate = requestedPort != 0 ? requestedPort : freePort();
            try {
                await(vertx.deployVerticle(() -> new ServerVerticle(router, host, candidate, tls),
                        new DeploymentOptions().setInstances(eventLoops)));
                port = candidate;
                return;
            } catch (IllegalStateException e) {
                if (requestedPort != 0 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("simulator: no free port on " + host, e);
        }
    }

    /** One HTTP server on one event loop. */
    private static final class ServerVerticle extends VerticleBase {
        private final SimRouter router;
        private final String host;
        private final int port;
        private final Tls tls;
        private volatile int actualPort;

        ServerVerticle(SimRouter router, String host, int port, Tls tls) {
            this.router = router;
            this.host = host;
            this.port = port;
            this.tls = tls;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(host)
                    .setPort(port)
                    .setHttp2ClearTextEnabled(false)
                    // curl and some HTTP clients send "Expect: 100-continue" for larger bodies and would
                    // otherwise wait a second for the go-ahead, as uvicorn (vLLM) gives it.
                    .setHandle100ContinueAutomatically(true)
                    .setTcpNoDelay(true);
            if (tls != null) options.setSsl(true).setKeyCertOptions(tls.certificate());
            if (tls != null && tls.clients() != null) options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(tls.clients());
            return vertx.createHttpServer(options)
                    .requestHandler(router)
                    // Peers resetting connections is routine here (faults, cancellations): never log it.
                    .connectionHandler(connection -> connection.exceptionHandler(IGNORE))
                    .exceptionHandler(IGNORE)
                    .listen()
                    .onSuccess(server -> actualPort = server.actualPort());
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} ({@code https://} when started with a certificate), without a trailing slash or {@code /v1}. */
    public String baseUrl() {
        return (tls == null ? "http://" : "https://") + host + ":" + port;
    }

    /** The name of the Vert.x transport in use: {@code epoll} or {@code nio}. */
    public String transportName() {
        return vertx.isNativeTransportEnabled() ? "epoll" : "nio";
    }

    public SimBehaviour behaviour() {
        return behaviour;
    }

    /** Replaces the behaviour for the requests that arrive from now on. */
    public void behaviour(SimBehaviour behaviour) {
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
    }

    public List<String> models() {
        return models;
    }

    /** The model ids {@code GET /v1/models} lists. */
    public void models(List<String> ids) {
        this.models = List.copyOf(ids);
    }

    /** The last 1,000 requests received, oldest first ({@code /sim/...} not included). */
    public List<RecordedRequest> requests() {
        return log.requests();
    }

    /** The most recent request; throws {@link IllegalStateException} if there was none. */
    public RecordedRequest lastRequest() {
        return log.last();
    }

    /** Forgets the kept requests (the counters go on). */
    public void clearRequests() {
        log.clear();
    }

    /** Requests received since start, including those no longer kept. */
    public long requestCount() {
        return log.received();
    }

    /**
     * Streams whose client closed the connection before the stream ended: how tests see that the
     * gateway cancels the upstream request when its own client disconnects.
     */
    public long cancelledStreams() {
        return log.cancelledStreams();
    }

    /** Requests whose client closed the connection before any response byte (latency, HANG). */
    public long abandonedRequests() {
        return log.abandonedRequests();
    }

    /** Waits until {@link #cancelledStreams()} reaches {@code atLeast}; false on timeout. */
    public boolean awaitCancelledStreams(long atLeast, Duration timeout) {
        return awaitCount(this::cancelledStreams, atLeast, timeout);
    }

    /** Waits until {@link #abandonedRequests()} reaches {@code atLeast}; false on timeout. */
    public boolean awaitAbandonedRequests(long atLeast, Duration timeout) {
        return awaitCount(this::abandonedRequests, atLeast, timeout);
    }

    private static boolean awaitCount(LongSupplier counter, long atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.getAsLong() < atLeast) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Stops listening and closes every connection, hanging ones included. */
    @Override
    public void close() {
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("simulator: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("simulator: no answer from Vert.x in " + START_TIMEOUT_SECONDS + " s", e);
        }
    }

    /**
     * Runs the simulator as a process, for the benchmark:
     * {@code --port N} (0 = random), {@code --host H} (127.0.0.1), {@code --event-loops N} (1),
     * {@code --chunks N}, {@code --chunk-delay-ms N}, {@code --latency-ms N}. Prints
     * {@code simulator listening on PORT} once it listens, then serves until killed.
     */
    public static void main(String[] args) throws InterruptedException {
        quietLogging();
        int port = 0;
        int eventLoops = 1;
        String host = "127.0.0.1";
        SimBehaviour behaviour = SimBehaviour.healthy();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                usage("missing value after " + option);
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--host" -> host = value;
                    case "--event-loops" -> eventLoops = Integer.parseInt(value);
                    case "--chunks" -> behaviour = behaviour.withChunks(Integer.parseInt(value));
                    case "--chunk-delay-ms" -> behaviour = behaviour.withChunkDelayMs(Integer.parseInt(value));
                    case "--latency-ms" -> behaviour = behaviour.withLatencyMs(Integer.parseInt(value));
                    default -> usage("unknown option " + option);
                }
            } catch (IllegalArgumentException e) {
                usage("bad value for " + option + ": " + value);
            }
        }
        UpstreamSimulator sim = start(behaviour, host, port, eventLoops);
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "simulator-shutdown"));
        System.err.println("simulator: transport " + sim.transportName() + ", " + eventLoops
                + " event loop(s), " + behaviour.toJson());
        System.out.println("simulator listening on " + sim.port());
        System.out.flush();
        new CountDownLatch(1).await(); // serve until the process is killed
    }

    private static void usage(String problem) {
        System.err.println("simulator: " + problem + "\nusage: UpstreamSimulator [--port N] [--host H]"
                + " [--event-loops N] [--chunks N] [--chunk-delay-ms N] [--latency-ms N]");
        System.exit(2);
    }

    /** As a process the simulator must not log per request nor chatter at start: warnings only. */
    private static void quietLogging() {
        try {
            org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            if (root instanceof ch.qos.logback.classic.Logger logback) {
                logback.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        } catch (LinkageError e) {
            // no logback on this class path: whatever logs, logs at its own level
        }
    }
}
