package dev.gantry.server.ops;

import dev.gantry.catalog.Provider;
import dev.gantry.catalog.ProviderType;
import dev.gantry.config.GatewayConfig;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.server.provider.UpstreamTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the providers that declare a {@code health_check}, each on its own interval, and tells
 * the deployment picker which are down: a self-hosted GPU server that stops answering is taken out
 * of rotation before clients pay for finding out. The probe goes to the base URL's host and port
 * with the provider's credentials and TLS settings. Providers are read from the live configuration
 * at each tick, so a reload adds or drops probes.
 */
public final class HealthProber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthProber.class);
    private static final long TICK_MILLIS = 1_000;

    private final Vertx vertx;
    private final Supplier<GatewayConfig> config;
    private final DeploymentPicker picker;
    private final HttpClientAgent client;
    private final java.util.Map<String, Long> nextProbe = new java.util.concurrent.ConcurrentHashMap<>();
    private long timer = -1;

    public HealthProber(Vertx vertx, Supplier<GatewayConfig> config, DeploymentPicker picker) {
        this.vertx = vertx;
        this.config = config;
        this.picker = picker;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    }

    public void start() {
        timer = vertx.setPeriodic(TICK_MILLIS / 10, TICK_MILLIS / 4, id -> tick());
    }

    private void tick() {
        long now = System.nanoTime();
        List<Provider> probed = new ArrayList<>();
        for (Provider p : config.get().providers()) {
            if (p.healthCheck().isPresent()) probed.add(p);
            else picker.probed(p.name(), true); // a reload removed its check: nothing says it is down
        }
        for (Provider p : probed) {
            Long due = nextProbe.get(p.name());
            if (due != null && now - due < 0) continue;
            nextProbe.put(p.name(), now + p.healthCheck().get().interval().toNanos());
            probe(p);
        }
    }

    private void probe(Provider provider) {
        var check = provider.healthCheck().get();
        URI base = provider.baseUrl();
        boolean ssl = "https".equals(base.getScheme());
        var options = new RequestOptions().setMethod(HttpMethod.GET).setSsl(ssl).setHost(base.getHost())
                .setPort(base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80).setURI(check.path())
                .setConnectTimeout(check.timeout().toMillis()).setIdleTimeout(check.timeout().toMillis());
        provider.tls().ifPresent(tls -> options.setSslOptions(UpstreamTls.options(tls)));
        if (!provider.apiKey().isEmpty()) {
            if (provider.type() == ProviderType.ANTHROPIC) options.addHeader("x-api-key", provider.apiKey().value());
            else options.addHeader("authorization", "Bearer " + provider.apiKey().value());
        }
        client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(result -> {
                    boolean up = result.succeeded() && result.result() >= 200 && result.result() < 300;
                    boolean wasDown = picker.isProbedDown(provider.name());
                    picker.probed(provider.name(), up);
                    if (up == wasDown) {
                        log.warn("provider {} is {} (health check {}{})", provider.name(), up ? "back up" : "down", check.path(),
                                result.succeeded() ? ": status " + result.result() : ": " + result.cause().getMessage());
                    }
                });
    }

    @Override
    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
        client.close();
    }
}
