package dev.gantry.server.proxy;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Provider;
import dev.gantry.catalog.ProviderType;
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
import dev.gantry.translate.Translations;
import dev.gantry.usage.TokenEstimator;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The data plane: every model call goes through {@link #handle}, in these steps —
 * authenticate (in-memory key cache), read the body (size-limited), inspect it (model, stream),
 * resolve the model (name or alias) and check the key may use it, pick a deployment, prepare the
 * upstream body (same protocol: the client's bytes with the model id spliced in; another
 * protocol: translated), send it upstream, relay the answer ({@link ProxyExchange}).
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
    private final TokenEstimator estimator;

    public ProxyHandler(Vertx vertx, Authenticator authenticator, Supplier<ModelCatalog> catalog, UpstreamClient upstream,
                        UsageRecorder recorder, AtomicInteger inFlight, long maxBodyBytes, Clock clock,
                        TokenEstimator estimator) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.upstream = upstream;
        this.recorder = recorder;
        this.inFlight = inFlight;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.estimator = estimator;
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
                .onComplete(prepared -> {
                    if (prepared.failed()) {
                        exchange.fail(prepared.cause());
                    } else if (prepared.result() == null) {
                        countTokensLocally(exchange);
                    } else {
                        upstream.send(prepared.result(), Buffer.buffer(exchange.upstreamBody), exchange::upstreamRequest)
                                .onComplete(sent -> {
                                    if (sent.failed()) exchange.fail(sent.cause());
                                    else exchange.relay(sent.result(), relayFor(exchange));
                                });
                    }
                });
    }

    /** The upstream request to send, or null when the gateway answers itself. */
    private UpstreamRequest prepare(ProxyExchange exchange, HttpServerRequest request, byte[] body) {
        RequestFacts facts = RequestInspector.inspect(body);
        exchange.askedModel = facts.model();
        exchange.stream = facts.stream();
        Model model = catalog.get().find(facts.model()).orElseThrow(() -> new GatewayException(ErrorCode.UNKNOWN_MODEL,
                "The model '" + facts.model() + "' does not exist. GET /v1/models lists the models your key may use."));
        exchange.model = model;
        if (!exchange.key.allowsModel(model.name()) && !exchange.key.allowsModel(facts.model())) {
            throw new GatewayException(ErrorCode.MODEL_NOT_ALLOWED, "This API key may not use the model '" + facts.model() + "'.");
        }
        Deployment deployment = model.deployments().getFirst();
        exchange.deployment = deployment;
        Provider provider = deployment.provider();
        if (exchange.endpoint == Endpoint.COUNT_TOKENS && provider.type() != ProviderType.ANTHROPIC) {
            exchange.upstreamBody = body; // no upstream counts Anthropic-style: the gateway estimates
            return null;
        }
        Optional<Translations.Route> translation =
                Translations.find(exchange.endpoint, provider.type(), provider.servesResponsesApi());
        Endpoint upstreamEndpoint = translation.map(Translations.Route::upstreamEndpoint).orElse(exchange.endpoint);
        UpstreamRequest target = ProviderAdapter.of(provider.type())
                .request(deployment, upstreamEndpoint, request.headers())
                .orElseThrow(() -> new GatewayException(ErrorCode.UNSUPPORTED_PROTOCOL, "The model '" + model.name()
                        + "' is served by a provider of type '" + provider.type().configName()
                        + "', which has no counterpart of " + exchange.endpoint.path() + "."));
        exchange.upstreamDialect = upstreamEndpoint.dialect();
        if (translation.isPresent()) {
            exchange.translation = translation.get().translation();
            exchange.upstreamBody = exchange.translation.request(body, deployment.upstreamModel());
        } else {
            boolean askUsage = exchange.endpoint == Endpoint.CHAT_COMPLETIONS && facts.stream();
            exchange.hideUsageChunk = askUsage && !facts.clientWantsUsage();
            exchange.upstreamBody = BodyRewriter.rewrite(body, facts, deployment.upstreamModel(), askUsage);
        }
        return target;
    }

    private static AnswerRelay relayFor(ProxyExchange exchange) {
        return exchange.translation == null
                ? new PassThroughRelay(exchange.endpoint.dialect(), exchange.hideUsageChunk)
                : new TranslatingRelay(exchange.translation, exchange.askedModel);
    }

    /** Anthropic's count_tokens for a model on an OpenAI-type server: a tokenizer estimate, off the event loop. */
    private void countTokensLocally(ProxyExchange exchange) {
        byte[] body = exchange.upstreamBody;
        vertx.executeBlocking(() -> estimator.countJson(body, 0, body.length), false).onComplete(counted -> {
            if (counted.failed()) exchange.fail(counted.cause());
            else exchange.answerLocally("{\"input_tokens\":" + counted.result() + "}");
        });
    }
}
