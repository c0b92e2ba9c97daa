package dev.gantry.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code /sim/...}: control of a simulator running as its own process (the benchmark, tests in
 * other languages). Not recorded, not subject to the behaviour.
 *
 * <ul>
 *   <li>{@code GET /sim/behaviour}: the current behaviour as JSON;
 *   <li>{@code POST /sim/behaviour}: replace it (fields left out take the healthy defaults);
 *   <li>{@code GET /sim/stats}: {@code {"received","kept","cancelledStreams","abandonedRequests"}};
 *   <li>{@code GET /sim/requests}: the kept requests, oldest first;
 *   <li>{@code POST /sim/clear}: forget the kept requests.
 * </ul>
 */
final class ControlEndpoints {
    private final Supplier<SimBehaviour> behaviour;
    private final Consumer<SimBehaviour> setBehaviour;
    private final RequestLog log;

    ControlEndpoints(Supplier<SimBehaviour> behaviour, Consumer<SimBehaviour> setBehaviour, RequestLog log) {
        this.behaviour = behaviour;
        this.setBehaviour = setBehaviour;
        this.log = log;
    }

    void handle(HttpServerRequest request, String path, String body) {
        HttpMethod method = request.method();
        if (path.equals("/sim/behaviour") && method.equals(HttpMethod.GET)) {
            json(request, 200, behaviour.get().toJson());
        } else if (path.equals("/sim/behaviour") && method.equals(HttpMethod.POST)) {
            try {
                SimBehaviour next = SimBehaviour.fromJson(body);
                setBehaviour.accept(next);
                json(request, 200, next.toJson());
            } catch (IllegalArgumentException e) {
                json(request, 400, "{\"error\":" + Json.quote(e.getMessage()) + "}");
            }
        } else if (path.equals("/sim/stats") && method.equals(HttpMethod.GET)) {
            json(request, 200, "{\"received\":" + log.received() + ",\"kept\":" + log.requests().size()
                    + ",\"cancelledStreams\":" + log.cancelledStreams()
                    + ",\"abandonedRequests\":" + log.abandonedRequests() + "}");
        } else if (path.equals("/sim/requests") && method.equals(HttpMethod.GET)) {
            try {
                json(request, 200, Json.MAPPER.writeValueAsString(log.requests()));
            } catch (JsonProcessingException e) {
                json(request, 500, "{\"error\":" + Json.quote(e.getMessage()) + "}");
            }
        } else if (path.equals("/sim/clear") && method.equals(HttpMethod.POST)) {
            log.clear();
            json(request, 200, "{}");
        } else {
            json(request, 404, "{\"error\":\"no such simulator control endpoint\"}");
        }
    }

    private static void json(HttpServerRequest request, int status, String json) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json").end(json);
    }
}
