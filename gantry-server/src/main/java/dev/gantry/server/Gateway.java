package dev.gantry.server;

import dev.gantry.config.GatewayConfig;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.server.alerts.AlertSender;
import dev.gantry.server.alerts.DeploymentAlerts;
import dev.gantry.server.alerts.ErrorRateAlerts;
import dev.gantry.server.auth.AdminKeyBootstrap;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.auth.ConsoleSessions;
import dev.gantry.server.console.Console;
import dev.gantry.store.ConsoleSessionRepository;
import dev.gantry.server.auth.KeyCache;
import dev.gantry.server.auth.KeyLastUsed;
import dev.gantry.crypto.SecretCipher;
import dev.gantry.server.secrets.ProviderKeys;
import dev.gantry.store.ProviderSecretRepository;
import dev.gantry.server.admin.AdminRoutes;
import dev.gantry.server.identity.Directory;
import dev.gantry.limits.BudgetLedger;
import dev.gantry.limits.LocalLimitCounters;
import dev.gantry.server.policy.Budgets;
import dev.gantry.server.policy.LimitsStep;
import dev.gantry.server.policy.StoredBudgets;
import dev.gantry.store.AuditRepository;
import dev.gantry.store.MembershipRepository;
import dev.gantry.store.OrgSettingsRepository;
import dev.gantry.store.TeamRepository;
import dev.gantry.store.UserRepository;
import dev.gantry.server.http.EventLoopTransport;
import dev.gantry.server.http.GatewayVerticle;
import dev.gantry.server.ops.GatewayMetrics;
import dev.gantry.server.proxy.BodyCapture;
import dev.gantry.server.proxy.BodyRetention;
import dev.gantry.server.proxy.CapacityQueue;
import dev.gantry.server.ops.HealthProber;
import dev.gantry.server.telemetry.Tracing;
import dev.gantry.server.usage.UsageRecorder;
import dev.gantry.server.usage.RollupBackfill;
import dev.gantry.store.PriceRepository;
import dev.gantry.store.RequestBodyRepository;
import dev.gantry.store.RollupRepository;
import dev.gantry.store.Database;
import dev.gantry.store.KeyRepository;
import dev.gantry.store.UsageRepository;
import dev.gantry.store.spool.UsageSpool;
import dev.gantry.usage.SelfHostedCost;
import dev.gantry.usage.TokenEstimator;
import dev.gantry.usage.UsageMeter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that wires the system, by constructors, in the order things depend on each other:
 * store, keys, usage, Vert.x, HTTP. Read this to see the whole gateway; {@link #stop} takes it down
 * in reverse.
 */
public final class Gateway implements AutoCloseable {
    /** How often idle budget and rate-limit scopes are forgotten. */
    private static final long LIMITS_SWEEP_MILLIS = 30_000;
    /** How often error-rate windows are looked at without new requests (to notice a recovery). */
    private static final long ERROR_RATE_TICK_MILLIS = 5_000;
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Database database;
    private final UsageRecorder recorder;
    private final ConfigReloader reloader;
    private final HealthProber prober;
    private final Tracing tracing;
    private final Vertx vertx;
    private final String deployment;
    private final AtomicBoolean shuttingDown;
    private final int port;
    private final int servingEventLoops;
    private final String transport;

    private Gateway(GatewayConfig config, Database database, UsageRecorder recorder, ConfigReloader reloader,
                    HealthProber prober, Tracing tracing, Vertx vertx,
                    String deployment, AtomicBoolean shuttingDown, int port, int servingEventLoops, String transport) {
        this.config = config;
        this.database = database;
        this.recorder = recorder;
        this.reloader = reloader;
        this.prober = prober;
        this.tracing = tracing;
        this.vertx = vertx;
        this.deployment = deployment;
        this.shuttingDown = shuttingDown;
        this.port = port;
        this.servingEventLoops = servingEventLoops;
        this.transport = transport;
    }

    /**
     * Starts the gateway and returns once it listens.
     *
     * @param adminSecret {@code GANTRY_ADMIN_KEY}, if set
     * @param console     where a newly created admin key is shown, once
     */
    public static Gateway start(GatewayConfig config, Optional<String> adminSecret, PrintStream console) {
        return start(config, null, adminSecret, console);
    }

    /** @param configFile the file {@code config} was read from, reloaded when it changes; null if none */
    public static Gateway start(GatewayConfig config, Path configFile, Optional<String> adminSecret, PrintStream console) {
        return start(config, configFile, adminSecret, SecretCipher.fromEnvironment(), console);
    }

    /** @param masterKey what encrypts provider keys stored through the admin API ({@code GANTRY_MASTER_KEY}) */
    public static Gateway start(GatewayConfig config, Path configFile, Optional<String> adminSecret,
                                Optional<SecretCipher> masterKey, PrintStream console) {
        Clock clock = Clock.systemUTC();
        Transport transport = EventLoopTransport.pick(config.server().transport()); // before anything opens
        Database database = Database.open(config.database());
        Tracing tracing = Tracing.off();
        try {
            var keyRepository = new KeyRepository(database.dataSource());
            var usageRepository = new UsageRepository(database.dataSource());
            new AdminKeyBootstrap(keyRepository, clock).ensureOwnerKey(adminSecret)
                    .ifPresent(secret -> AdminKeyBootstrap.announce(secret, console));
            var keyCache = new KeyCache(keyRepository, clock);
            keyCache.loadAll();
            var stores = new AdminRoutes.Stores(keyRepository, new UserRepository(database.dataSource()),
                    new TeamRepository(database.dataSource()), new MembershipRepository(database.dataSource()),
                    new OrgSettingsRepository(database.dataSource()), new AuditRepository(database.dataSource()), usageRepository,
                    new RollupRepository(database.dataSource()), new PriceRepository(database.dataSource()),
                    new RequestBodyRepository(database.dataSource()));
            var directory = new Directory(stores.users(), stores.teams(), stores.memberships(), stores.org(), clock);
            directory.loadAll();
            var providerKeys = new ProviderKeys(new ProviderSecretRepository(database.dataSource()), masterKey, clock);
            var storedProviderKeys = providerKeys.load(); // before anything starts: unreadable keys stop start-up here

            var metrics = new GatewayMetrics();
            var estimator = new TokenEstimator();
            var selfHosted = new SelfHostedCost();
            var recorder = new UsageRecorder(usageRepository, new UsageMeter(estimator), selfHosted, metrics, config.usage(),
                    UsageSpool.open(config.usage().spoolDir()));
            var lastUsed = new KeyLastUsed(keyRepository);
            recorder.afterStore(lastUsed::stored);
            // ---- monitoring: traces are built from measured requests, off the request path ----
            tracing = Tracing.of(config.monitoring().telemetry());
            if (tracing.enabled()) recorder.onCompleted(tracing::completed);
            recorder.replay(); // what a killed process answered for but had not stored yet
            recorder.start();
            new RollupBackfill(stores.rollups(), clock).start(); // a ledger from an older version

            Vertx vertx = Vertx.builder()
                    .with(new VertxOptions().setEventLoopPoolSize(config.server().eventLoops()))
                    .withTransport(transport)
                    .build();
            var shuttingDown = new AtomicBoolean();
            // ---- governance on the data plane: budgets (ledger, spend loaded now, alerts) and rate limits ----
            var alerts = config.monitoring().alerts();
            var alertSender = new AlertSender(vertx, alerts.webhook(), metrics);
            var budgetWebhook = config.governance().alertWebhook().or(alerts::webhook);
            var budgetSender = budgetWebhook.equals(alerts.webhook()) ? alertSender : new AlertSender(vertx, budgetWebhook, metrics);
            var budgets = new Budgets(config.governance(), usageRepository, directory, vertx, budgetSender);
            BudgetLedger ledger = budgets.ledger();
            budgets.loadAll(StoredBudgets.all(keyRepository, stores.users(), stores.teams(), stores.org(), clock.instant()),
                    clock.instant());
            var limits = new LimitsStep(new LocalLimitCounters(), ledger, directory, config.governance().maxOutputTokens(), clock);
            vertx.setPeriodic(LIMITS_SWEEP_MILLIS, id -> vertx.executeBlocking(() -> {
                limits.sweep();
                return null;
            }));
            // ---- end governance ----
            config.redisUrl().ifPresent(url -> log.warn("redis.url is set but not used yet: rate-limit and budget counters "
                    + "shared over Redis are not built yet; each replica counts alone"));
            var reloader = new ConfigReloader(configFile, config, storedProviderKeys);
            var picker = new DeploymentPicker(System::nanoTime, config.routing().breakerFailures(), config.routing().breakerCooldown());
            metrics.deployments(reloader.current().catalog(), picker);
            reloader.onReload(applied -> {
                picker.retain(applied.catalog());
                metrics.deployments(applied.catalog(), picker);
            });
            var prober = new HealthProber(vertx, reloader::current, picker);
            var authenticator = new Authenticator(keyCache, directory, vertx, clock);
            var sessions = new ConsoleSessions(new ConsoleSessionRepository(database.dataSource()), vertx, clock);
            var admin = new AdminRoutes(vertx, stores, authenticator, keyCache, directory, ledger, reloader.catalog(), picker,
                    selfHosted, reloader, providerKeys, sessions, clock);
            var listeningPort = new AtomicInteger(); // the console calls the admin API here, once the servers listen
            var webConsole = new Console(vertx, sessions, authenticator, directory, loopbackHost(config.server().host()),
                    listeningPort::get);
            var shared = new GatewayVerticle.Shared(config.server().host(), config.server().maxBodyBytes(),
                    config.server().shutdownGrace(), reloader.catalog(), reloader, authenticator,
                    admin, webConsole, recorder, metrics, database, shuttingDown::get, clock, estimator,
                    picker, new CapacityQueue(vertx), limits, tracing,
                    new BodyCapture(directory, stores.bodies(), vertx));
            new BodyRetention(stores.bodies(), config.usage().bodyRetention(), clock).start(vertx);

            // Port 0 means any free port; Vert.x shares one random port among servers that ask for -1.
            int requestedPort = config.server().port() == 0 ? -1 : config.server().port();
            var verticles = new java.util.concurrent.CopyOnWriteArrayList<GatewayVerticle>();
            String deployment = await(vertx.deployVerticle(() -> {
                var verticle = new GatewayVerticle(shared, requestedPort, vertx);
                verticles.add(verticle);
                return verticle;
            }, new DeploymentOptions().setInstances(config.server().eventLoops())));
            int port = verticles.getFirst().actualPort();
            listeningPort.set(port);
            vertx.setPeriodic(KeyCache.REFRESH_PERIOD.toMillis(), id -> vertx.executeBlocking(() -> {
                keyCache.refresh();
                directory.refresh();
                return null;
            }));
            int serving = (int) verticles.stream().map(GatewayVerticle::eventLoop).distinct().count();
            if (serving < config.server().eventLoops()) {
                log.warn("only {} of {} event loops serve connections", serving, config.server().eventLoops());
            }
            log.info("Gantry listening on {}:{} with {} model(s), {} event loop(s), {} transport",
                    config.server().host(), port, config.catalog().all().size(), serving, transport.name());
            reloader.watch();
            prober.start();
            // ---- alerts: deployments going down and back up, error-rate spikes per model ----
            if (alerts.deploymentDown()) new DeploymentAlerts(vertx, reloader.catalog(), picker, alertSender, clock).start();
            alerts.errorRate().ifPresent(settings -> {
                var errorRates = new ErrorRateAlerts(settings, alertSender, clock);
                recorder.onCompleted(errorRates::completed);
                vertx.setPeriodic(ERROR_RATE_TICK_MILLIS, id -> errorRates.tick());
            });
            return new Gateway(config, database, recorder, reloader, prober, tracing, vertx, deployment, shuttingDown, port, serving,
                    transport.name());
        } catch (RuntimeException e) {
            tracing.close();
            database.close();
            throw e;
        }
    }

    /** Where this process reaches its own servers: the bound address, or loopback when bound to every address. */
    private static String loopbackHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    }

    public int port() { return port; }

    /** How many distinct event loops accept the gateway's connections: {@code server.event_loops} unless something is wrong. */
    public int servingEventLoops() { return servingEventLoops; }

    /** The event loops' transport: {@code io_uring}, {@code epoll} or {@code nio}. */
    public String transport() { return transport; }

    public GatewayConfig config() { return config; }

    /**
     * Graceful stop: readiness turns false, the servers stop accepting and give in-flight requests
     * (streams included) the configured grace period, then usage still queued is stored.
     */
    public void stop() {
        if (!shuttingDown.compareAndSet(false, true)) return;
        log.info("Gantry stopping: letting in-flight requests finish (up to {} s)", config.server().shutdownGrace().toSeconds());
        try {
            await(vertx.undeploy(deployment));
        } catch (RuntimeException e) {
            log.warn("stopping servers: {}", e.getMessage());
        }
        reloader.close();
        prober.close();
        recorder.close();
        tracing.close(); // after the recorder: the last requests' spans are made as it drains
        await(vertx.close());
        database.close();
        log.info("Gantry stopped");
    }

    @Override
    public void close() { stop(); }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        }
    }
}
