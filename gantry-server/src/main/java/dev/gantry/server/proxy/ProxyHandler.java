package dev.gantry.server.proxy;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.protocol.BodyRewriter;
import dev.gantry.protocol.Endpoint;
import dev.gantry.protocol.RequestFacts;
import dev.gantry.protocol.RequestInspector;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.provider.ProviderAdapter;
import dev.gantry.server.provider.UpstreamRequest;
import dev.gantry.server.usage.UsageRecorder;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The data plane: every model call goes through {@link #handle}, in these steps —
 * authenticate (in-memory key cache), read the body (size-limited), inspect it (model, stream),
 * resolve the model and check the key may use it, pick a deployment, rewrite the body (upstream
 * model id, stream usage), send it upstream, relay the answer ({@link ProxyExchange}).
 * Any step's failure becomes an error in the client's protocol; every ending is recorded.
 * No step touches the database.
 */
public final class ProxyHandler {
    private final Vertx vertx;
    private final Authenticator authenticator;
    private final Supplier<ModelCatalog> catalog;
    private final UpstreamClient upstream;
    private final UsageRecorder recorder;
    private final AtomicInteger inFlight;
    private final long maxBodyBytes;
    private final Clock clock;

    public ProxyHandler(Vertx vertx, Authenticator authenticator, Supplier<ModelCatalog> catalog, UpstreamClient upstream,
                        UsageRecorder recorder, AtomicInteger inFlight, long maxBodyBytes, Clock clock) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.upstream = upstream;
        this.recorder = recorder;
        this.inFlight = inFlight;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    public Handler<RoutingContext> route(Endpoint endpoint) {
        return ctx -> handle(ctx.request(), endpoint);
    }

    private void handle(HttpServerRequest request, Endpoint endpoint) {
        request.pause(); // nothing is read before the key is known to be good
        var exchange = new ProxyExchange(endpoint, request.response(), vertx, clock.instant(), recorder, inFlight);
        authenticator.authenticate(request)
                .compose(key -> {
                    exchange.key = key;
                    return BodyReader.read(request, maxBodyBytes);
                })
                .map(body -> prepare(exchange, request, body))
                .compose(target -> upstream.send(target, Buffer.buffer(exchange.upstreamBody), exchange::upstreamRequest))
                .onComplete(result -> {
                    if (result.succeeded()) exchange.relay(result.result());
                    else exchange.fail(result.cause());
                });
    }

    private UpstreamRequest prepare(ProxyExchange exchange, HttpServerRequest request, byte[] body) {
        RequestFacts facts = RequestInspector.inspect(body);
        exchange.askedModel = facts.model();
        exchange.stream = facts.stream();
        Model model = catalog.get().find(facts.model()).orElseThrow(() -> new GatewayException(ErrorCode.UNKNOWN_MODEL,
                "The model '" + facts.model() + "' does not exist. GET /v1/models lists the models your key may use."));
        exchange.model = model;
        if (!exchange.key.allowsModel(model.name())) {
            throw new GatewayException(ErrorCode.MODEL_NOT_ALLOWED, "This API key may not use the model '" + model.name() + "'.");
        }
        Deployment deployment = model.deployments().getFirst();
        exchange.deployment = deployment;
        UpstreamRequest target = ProviderAdapter.of(deployment.provider().type())
                .request(deployment, exchange.endpoint, request.headers())
                .orElseThrow(() -> new GatewayException(ErrorCode.UNSUPPORTED_PROTOCOL, "The model '" + model.name()
                        + "' is served by a provider of type '" + deployment.provider().type().configName()
                        + "', which does not speak " + exchange.endpoint.path() + "; translating between protocols is not built yet."));
        boolean askUsage = exchange.endpoint == Endpoint.CHAT_COMPLETIONS && facts.stream();
        exchange.hideUsageChunk = askUsage && !facts.clientWantsUsage();
        exchange.upstreamBody = BodyRewriter.rewrite(body, facts, deployment.upstreamModel(), askUsage);
        return target;
    }
}
