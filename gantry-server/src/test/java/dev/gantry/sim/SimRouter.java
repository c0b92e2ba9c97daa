package dev.gantry.sim;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads each request whole, records it, and hands it to its endpoint. A plain {@code switch} on
 * the path rather than a vertx-web router: there are six routes and nothing to match but them.
 * Shared by every event loop; it holds no per-request state.
 */
final class SimRouter implements Handler<HttpServerRequest> {
    private final Vertx vertx;
    private final Supplier<SimBehaviour> behaviour;
    private final RequestLog log;
    private final OpenAiEndpoints openAi;
    private final AnthropicEndpoints anthropic;
    private final ControlEndpoints control;

    SimRouter(Vertx vertx, Supplier<SimBehaviour> behaviour, RequestLog log, OpenAiEndpoints openAi,
            AnthropicEndpoints anthropic, ControlEndpoints control) {
        this.vertx = vertx;
        this.behaviour = behaviour;
        this.log = log;
        this.openAi = openAi;
        this.anthropic = anthropic;
        this.control = control;
    }

    @Override
    public void handle(HttpServerRequest request) {
        // A failed body read means the client went away mid-request: nothing to answer.
        request.body().onSuccess(body -> route(request, body));
    }

    private void route(HttpServerRequest request, Buffer buffer) {
        String path = request.path();
        String body = buffer.length() == 0 ? "" : buffer.toString();
        if (path.startsWith("/sim/")) {
            control.handle(request, path, body);
            return;
        }
        log.record(new RecordedRequest(request.method().name(), path, headers(request.headers()), body));
        HttpMethod method = request.method();
        boolean anthropicClient = request.getHeader("anthropic-version") != null;
        switch (path) {
            case "/v1/chat/completions" -> {
                if (allowed(request, method, HttpMethod.POST, Protocol.OPENAI)) {
                    openAi.chatCompletions(exchange(request, body, Protocol.OPENAI));
                }
            }
            case "/v1/embeddings" -> {
                if (allowed(request, method, HttpMethod.POST, Protocol.OPENAI)) {
                    openAi.embeddings(exchange(request, body, Protocol.OPENAI));
                }
            }
            case "/v1/messages" -> {
                if (allowed(request, method, HttpMethod.POST, Protocol.ANTHROPIC)) {
                    anthropic.messages(exchange(request, body, Protocol.ANTHROPIC));
                }
            }
            case "/v1/messages/count_tokens" -> {
                if (allowed(request, method, HttpMethod.POST, Protocol.ANTHROPIC)) {
                    anthropic.countTokens(exchange(request, body, Protocol.ANTHROPIC));
                }
            }
            case "/v1/models" -> {
                // One path, two list formats: Anthropic's clients announce themselves by their version header.
                Protocol protocol = anthropicClient ? Protocol.ANTHROPIC : Protocol.OPENAI;
                if (allowed(request, method, HttpMethod.GET, protocol)) {
                    if (anthropicClient) {
                        anthropic.models(exchange(request, body, protocol));
                    } else {
                        openAi.models(exchange(request, body, protocol));
                    }
                }
            }
            case "/health" -> request.response().putHeader("content-type", "application/json")
                    .end("{\"status\":\"ok\"}");
            default -> notFound(request, anthropicClient ? Protocol.ANTHROPIC : Protocol.OPENAI);
        }
    }

    private Exchange exchange(HttpServerRequest request, String body, Protocol protocol) {
        return new Exchange(vertx, request, body, protocol, behaviour.get(), log);
    }

    private static boolean allowed(HttpServerRequest request, HttpMethod method, HttpMethod expected,
            Protocol protocol) {
        if (method.equals(expected)) {
            return true;
        }
        notFound(request, protocol);
        return false;
    }

    /** The real APIs answer an unknown route or method with a 404 in their error shape. */
    private static void notFound(HttpServerRequest request, Protocol protocol) {
        String json = protocol == Protocol.OPENAI
                ? ErrorBodies.openAi(404, "Invalid URL (" + request.method().name() + " " + request.path() + ")",
                        "invalid_request_error", null, null)
                : ErrorBodies.anthropic("not_found_error", "Not Found", Ids.request());
        request.response().setStatusCode(404).putHeader("content-type", "application/json").end(json);
    }

    private static Map<String, List<String>> headers(MultiMap headers) {
        Map<String, List<String>> out = new HashMap<>(headers.size() * 2);
        for (Map.Entry<String, String> header : headers) {
            out.computeIfAbsent(header.getKey(), k -> new ArrayList<>(1)).add(header.getValue());
        }
        return out;
    }
}
