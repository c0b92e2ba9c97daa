package dev.gantry.server.proxy;

import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.protocol.Endpoint;
import dev.gantry.protocol.RequestFacts;
import dev.gantry.protocol.RequestInspector;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.policy.Grant;
import dev.gantry.server.policy.LimitsStep;
import dev.gantry.server.policy.Refusal;
import dev.gantry.server.telemetry.Tracing;
import dev.gantry.server.usage.UsageRecorder;
import dev.gantry.usage.TokenEstimator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The data plane: every model call goes through {@link #handle}, in these steps —
 * authenticate (in-memory key cache), read the body (size-limited), inspect it (model, stream),
 * resolve the model (name or alias) and check the key may use it; apply rate limits and budgets
 * ({@link LimitsStep}: admit or refuse with 429, reserve the worst case); then {@link UpstreamAttempts}
 * picks a deployment, prepares the upstream body (same protocol: the client's bytes with the model
 * id spliced in; another protocol: translated), sends it, and retries or falls back until an
 * answer starts; {@link ProxyExchange} relays it.
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
    private final DeploymentPicker picker;
    private final CapacityQueue capacity;
    private final LimitsStep limits;
    private final Tracing tracing;
    private final BodyCapture bodyCapture;
    /** This handler's event loop's: a handler serves one loop. */
    private final SilenceWatch silenceWatch;

    public ProxyHandler(Vertx vertx, Authenticator authenticator, Supplier<ModelCatalog> catalog, DeploymentPicker picker,
                        CapacityQueue capacity, UpstreamClient upstream, UsageRecorder recorder, AtomicInteger inFlight, long maxBodyBytes,
                        Clock clock, TokenEstimator estimator, LimitsStep limits, Tracing tracing, BodyCapture bodyCapture) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.upstream = upstream;
        this.recorder = recorder;
        this.inFlight = inFlight;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.estimator = estimator;
        this.picker = picker;
        this.capacity = capacity;
        this.limits = limits;
        this.tracing = tracing;
        this.bodyCapture = bodyCapture;
        this.silenceWatch = new SilenceWatch(vertx);
    }

    /** Serves one model call; runs on the event loop that accepted it. */
    public void handle(HttpServerRequest request, Endpoint endpoint) {
        request.pause(); // nothing is read before the key is known to be good
        var exchange = new ProxyExchange(endpoint, request.response(), clock.instant(), recorder, inFlight, capacity, silenceWatch);
        if (tracing.enabled()) exchange.trace = tracing.begin(request.getHeader("traceparent"));
        authenticator.authenticate(request)
                .compose(key -> {
                    exchange.key = key;
                    return BodyReader.read(request, maxBodyBytes);
                })
                .onComplete(read -> {
                    if (read.failed()) {
                        exchange.fail(read.cause());
                        return;
                    }
                    byte[] body = read.result();
                    exchange.capture = bodyCapture.begin(exchange.key, body);
                    RequestFacts facts;
                    try {
                        facts = resolve(exchange, body);
                    } catch (GatewayException e) {
                        exchange.fail(e);
                        return;
                    }
                    switch (limits.check(exchange.key, exchange.endpoint, exchange.model, facts, body.length)) {
                        case Refusal refusal -> {
                            exchange.refused(refusal);
                            return;
                        }
                        case Grant grant -> {
                            if (!exchange.granted(grant)) return;
                        }
                    }
                    new UpstreamAttempts(exchange, picker, capacity, upstream, vertx, catalog.get(), request.headers(), body, facts,
                            () -> countTokensLocally(exchange)).start();
                });
    }

    /** Reads the body's model and stream flag, resolves the model and checks the key may use it. */
    private RequestFacts resolve(ProxyExchange exchange, byte[] body) {
        RequestFacts facts = RequestInspector.inspect(body);
        exchange.askedModel = facts.model();
        exchange.stream = facts.stream();
        if (exchange.trace != null) exchange.trace.maxTokens(facts.maxTokens());
        Model model = catalog.get().find(facts.model()).orElseThrow(() -> new GatewayException(ErrorCode.UNKNOWN_MODEL,
                "The model '" + facts.model() + "' does not exist. GET /v1/models lists the models your key may use."));
        exchange.model = model;
        if (!exchange.key.allowsModel(model.name()) && !exchange.key.allowsModel(facts.model())) {
            throw new GatewayException(ErrorCode.MODEL_NOT_ALLOWED, "This API key may not use the model '" + facts.model() + "'.");
        }
        return facts;
    }

    static AnswerRelay relayFor(ProxyExchange exchange) {
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
