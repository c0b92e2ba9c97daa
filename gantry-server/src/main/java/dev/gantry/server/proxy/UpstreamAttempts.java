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
import dev.gantry.routing.DeploymentHealth;
import dev.gantry.routing.RetryPolicy;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.server.http.ErrorResponder;
import dev.gantry.server.provider.ProviderAdapter;
import dev.gantry.server.provider.UpstreamRequest;
import dev.gantry.translate.Translations;
import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request upstream until something answers: a deployment chosen by the router, then
 * the model's other deployments, then its fallback models, starting over while attempts and time
 * remain. Everything here happens before the first byte reaches the client; after that
 * {@link ProxyExchange} owns the answer and a failure ends it with an error event.
 *
 * <p>Retried: connection failures and timeouts, 429 (the deployment cools down for its
 * {@code retry-after}), 5xx and 529. Moved on to a fallback model at once: a prompt too long for
 * the model's context, images for a text-only model. Not retried: anything else, which is the
 * client's answer. Waits grow exponentially with full jitter, are at least the last
 * {@code retry-after}, and never pass the request's deadline. When every deployment is at its
 * concurrency cap the request waits in the model's {@link CapacityQueue}.
 */
final class UpstreamAttempts {
    private static final Logger log = LoggerFactory.getLogger(UpstreamAttempts.class);
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504, 529);

    private final ProxyExchange exchange;
    private final DeploymentPicker picker;
    private final CapacityQueue capacity;
    private final UpstreamClient upstream;
    private final Vertx vertx;
    private final MultiMap clientHeaders;
    private final byte[] clientBody;
    private final RequestFacts facts;
    private final List<Model> chain = new ArrayList<>();
    private final RetryPolicy policy;
    private final long deadlineNanos;
    private final Runnable answerLocally;

    private int modelIndex;
    private final Set<String> tried = new HashSet<>();
    private int attempts;
    private Duration lastRetryAfter = Duration.ZERO;
    private Throwable lastFailure;
    /** The last retryable error answer, read whole: passed on faithfully if no retry succeeds. */
    private HttpClientResponse lastAnswer;
    private Buffer lastAnswerBody;

    UpstreamAttempts(ProxyExchange exchange, DeploymentPicker picker, CapacityQueue capacity, UpstreamClient upstream, Vertx vertx,
                     ModelCatalog catalog, MultiMap clientHeaders, byte[] clientBody, RequestFacts facts, Runnable answerLocally) {
        this.capacity = capacity;
        this.exchange = exchange;
        this.picker = picker;
        this.upstream = upstream;
        this.vertx = vertx;
        this.clientHeaders = clientHeaders;
        this.clientBody = clientBody;
        this.facts = facts;
        this.answerLocally = answerLocally;
        this.policy = exchange.model.retry();
        this.deadlineNanos = System.nanoTime() + policy.deadline().toNanos();
        chain.add(exchange.model);
        for (String name : exchange.model.fallbacks()) {
            catalog.find(name).filter(m -> exchange.key.allowsModel(m.name())).ifPresent(chain::add);
        }
        if (!exchange.model.acceptsImages() && hasImages(clientBody)) modelIndex = nextModelAccepting(1);
    }

    void start() {
        if (modelIndex >= chain.size()) {
            exchange.fail(new GatewayException(ErrorCode.INVALID_REQUEST, "The model '" + exchange.model.name()
                    + "' does not take images, and none of its fallbacks does."));
            return;
        }
        next();
    }

    private void next() {
        if (exchange.isDone()) return;
        Model model = chain.get(modelIndex);
        Optional<DeploymentHealth> acquired = picker.acquire(model, tried);
        if (acquired.isEmpty()) {
            DeploymentPicker.Shortage shortage = picker.shortage(model, tried);
            if (modelIndex + 1 < chain.size()) { // this model cannot answer now: its fallback may
                modelIndex++;
                tried.clear();
                next();
            } else if (shortage == DeploymentPicker.Shortage.EXHAUSTED && canRetry()) {
                // every deployment tried once: go round again (the next send counts as an attempt)
                modelIndex = 0;
                tried.clear();
                later(this::next, false);
            } else if (shortage == DeploymentPicker.Shortage.UNAVAILABLE && canRetry()) {
                // all down or cooling after a 429: wait (at least its retry-after), then look again
                attempts++;
                modelIndex = 0;
                tried.clear();
                later(this::next, true);
            } else {
                giveUp(shortage);
            }
            return;
        }
        DeploymentHealth health = acquired.get();
        Deployment deployment = health.deployment();
        tried.add(deployment.id());
        attempts++;
        exchange.attempt(deployment, health);
        exchange.servedBy(model);
        UpstreamRequest target;
        try {
            target = prepare(model, deployment);
        } catch (RuntimeException failure) {
            exchange.attemptFailed(400, Duration.ZERO);
            GatewayException e = ErrorResponder.classify(failure);
            if (e.code() == ErrorCode.UNSUPPORTED_PROTOCOL && modelIndex + 1 < chain.size()) {
                modelIndex++;
                tried.clear();
                next();
            } else {
                exchange.fail(e);
            }
            return;
        }
        if (target == null) {
            exchange.attemptFailed(400, Duration.ZERO); // no upstream call: the slot goes back untouched
            answerLocally.run();
            return;
        }
        if (exchange.trace != null) target.headers().set("traceparent", exchange.trace.traceparent());
        // wrapped, not copied as Buffer.buffer(byte[]) would: the body is never changed once built
        Buffer body = BufferInternal.buffer(Unpooled.wrappedBuffer(exchange.upstreamBody));
        upstream.send(target, body, exchange::upstreamRequest).onComplete(sent -> {
            exchange.upstreamAnswered();
            if (sent.succeeded()) {
                answered(sent.result(), model);
                return;
            }
            // an untrusted certificate, a wrong host name, no client certificate: only the log tells the operator which
            String tlsReason = ErrorResponder.tlsFailureReason(sent.cause());
            if (tlsReason != null) log.warn("TLS to {} failed: {}", deployment.id(), tlsReason);
            failed(sent.cause());
        });
    }

    /** The upstream body for this deployment, or null when the gateway answers itself. */
    private UpstreamRequest prepare(Model model, Deployment deployment) {
        Provider provider = deployment.provider();
        Endpoint endpoint = exchange.endpoint;
        if (endpoint == Endpoint.COUNT_TOKENS && provider.type() != ProviderType.ANTHROPIC) {
            exchange.upstreamBody = clientBody; // no upstream counts Anthropic-style: the gateway estimates
            return null;
        }
        var translation = Translations.find(endpoint, provider.type(), provider.servesResponsesApi());
        Endpoint upstreamEndpoint = translation.map(Translations.Route::upstreamEndpoint).orElse(endpoint);
        UpstreamRequest target = ProviderAdapter.of(provider.type())
                .request(deployment, upstreamEndpoint, clientHeaders)
                .orElseThrow(() -> new GatewayException(ErrorCode.UNSUPPORTED_PROTOCOL, "The model '" + model.name()
                        + "' is served by a provider of type '" + provider.type().configName()
                        + "', which has no counterpart of " + endpoint.path() + "."));
        exchange.upstreamDialect = upstreamEndpoint.dialect();
        if (translation.isPresent()) {
            exchange.translation = translation.get().translation().forRequest(clientBody);
            exchange.hideUsageChunk = false;
            exchange.upstreamBody = exchange.translation.request(clientBody, deployment.upstreamModel());
        } else {
            boolean askUsage = endpoint == Endpoint.CHAT_COMPLETIONS && facts.stream();
            exchange.translation = null;
            exchange.hideUsageChunk = askUsage && !facts.clientWantsUsage();
            exchange.upstreamBody = BodyRewriter.rewrite(clientBody, facts, deployment.upstreamModel(), askUsage);
        }
        return target;
    }

    private void failed(Throwable failure) {
        if (exchange.isDone()) return;
        lastFailure = failure;
        lastAnswer = null;
        exchange.attemptFailed(0, Duration.ZERO);
        GatewayException error = ErrorResponder.classify(failure);
        if (error.code().fallbackAllowed() && canRetry()) later(this::next, false);
        else exchange.fail(failure);
    }

    private void answered(HttpClientResponse response, Model model) {
        int status = response.statusCode();
        if (RETRYABLE.contains(status) && canRetry()) {
            String header = response.getHeader("retry-after");
            Duration retryAfter = RetryAfter.parse(header);
            lastRetryAfter = header != null ? retryAfter : Duration.ZERO;
            readBody(response).onComplete(drained -> { // read it off so the connection can be reused
                exchange.attemptFailed(status, retryAfter);
                lastFailure = null;
                lastAnswer = response;
                lastAnswerBody = drained.succeeded() ? drained.result() : Buffer.buffer();
                later(this::next, false); // another deployment may answer now; the cooled one is skipped
            });
            return;
        }
        if ((status == 400 || status == 413) && modelIndex + 1 < chain.size()) {
            readBody(response).onComplete(read -> {
                Buffer body = read.succeeded() ? read.result() : Buffer.buffer();
                if (read.succeeded() && isContextOverflow(body)) {
                    exchange.attemptFailed(status, Duration.ZERO);
                    modelIndex++;
                    tried.clear();
                    next();
                } else {
                    exchange.relayWhole(response, body, ProxyHandler.relayFor(exchange));
                }
            });
            return;
        }
        exchange.relay(response, ProxyHandler.relayFor(exchange));
    }

    /** An error answer's body, or a failure if it does not arrive within the first-token timeout. */
    private io.vertx.core.Future<Buffer> readBody(HttpClientResponse response) {
        long timer = vertx.setTimer(exchange.deploymentTimeouts().firstToken().toMillis(), id -> response.request().reset());
        return response.body().onComplete(done -> vertx.cancelTimer(timer));
    }

    private boolean canRetry() {
        return attempts < policy.maxAttempts() && System.nanoTime() < deadlineNanos;
    }

    /** Runs {@code step} after the back-off for the attempt just made, and the last retry-after if asked to. */
    private void later(Runnable step, boolean honourRetryAfter) {
        long base = policy.initialBackoff().toMillis() << Math.min(Math.max(attempts - 1, 0), 16);
        long backoff = ThreadLocalRandom.current().nextLong(Math.min(base, policy.maxBackoff().toMillis()) + 1);
        long wait = honourRetryAfter ? Math.max(backoff, lastRetryAfter.toMillis()) : backoff;
        long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (wait >= remaining) {
            giveUp(DeploymentPicker.Shortage.UNAVAILABLE);
            return;
        }
        if (wait <= 0) step.run();
        else vertx.setTimer(wait, id -> step.run());
    }

    /** Ends the request with the best account of what went wrong: the last upstream answer, else the last failure. */
    private void giveUp(DeploymentPicker.Shortage shortage) {
        if (lastAnswer != null) {
            exchange.relayWhole(lastAnswer, lastAnswerBody, ProxyHandler.relayFor(exchange));
        } else if (lastFailure != null) {
            exchange.fail(lastFailure);
        } else if (shortage == DeploymentPicker.Shortage.AT_CAPACITY) {
            waitForCapacity();
        } else {
            exchange.fail(new GatewayException(ErrorCode.NO_HEALTHY_DEPLOYMENT, "No deployment of '" + exchange.model.name()
                    + "' is available right now."));
        }
    }

    /** Every deployment is full: wait in the model's line for a freed slot, or get 429. */
    private void waitForCapacity() {
        Model primary = chain.getFirst();
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        Duration wait = Duration.ofMillis(Math.min(primary.queue().maxWait().toMillis(), remainingMillis));
        GatewayException full = new GatewayException(ErrorCode.CAPACITY, "Every deployment of '" + primary.name()
                + "' is at its concurrency limit; retry shortly.");
        boolean queued = !wait.isNegative() && !wait.isZero() && capacity.await(primary.name(), primary.queue(),
                exchange.key.id(), wait, () -> {
                    if (exchange.isDone()) { // its client left while waiting: hand the slot on
                        capacity.released(primary.name());
                        return;
                    }
                    modelIndex = 0;
                    tried.clear();
                    next();
                }, () -> exchange.fail(full));
        if (!queued) exchange.fail(full);
        // a slot freed between the failed acquire and joining the line woke nobody: look once more
        else if (picker.hasFreeSlot(primary)) capacity.released(primary.name());
    }

    private int nextModelAccepting(int from) {
        int i = from;
        while (i < chain.size() && !chain.get(i).acceptsImages()) i++;
        return i;
    }

    /** Upstream wording for a prompt over the context window (vLLM, OpenAI, Anthropic, llama.cpp, Ollama). */
    static boolean isContextOverflow(Buffer body) {
        String text = body.toString(StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        return text.contains("context length") || text.contains("context_length") || text.contains("context window")
                || text.contains("maximum context") || text.contains("prompt is too long") || text.contains("too many tokens");
    }

    private static final byte[][] IMAGE_MARKERS = {
            "\"image_url\"".getBytes(StandardCharsets.US_ASCII), "\"input_image\"".getBytes(StandardCharsets.US_ASCII),
            "\"image\"".getBytes(StandardCharsets.US_ASCII)};

    /** Image parts in any of the three protocols. Only looked for when the model is text-only. */
    private static boolean hasImages(byte[] body) {
        for (byte[] marker : IMAGE_MARKERS) if (indexOf(body, marker) >= 0) return true;
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
