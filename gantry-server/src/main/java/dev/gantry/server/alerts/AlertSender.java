package dev.gantry.server.alerts;

import dev.gantry.server.ops.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to a webhook as Slack-compatible JSON: {@code {"text": "...", "gantry": {"kind":
 * "...", ...fields}}}. Slack (and Mattermost, Teams workflows, most chat tools) show {@code text};
 * the {@code gantry} object is for machines.
 *
 * <p>Fire and forget: the post runs on Vert.x's client with a timeout, a failure is logged and
 * not retried, nothing waits for it; safe to call from any thread. Every alert is also logged, so
 * with no webhook they still show. Callers put names, ids, counts and amounts in alerts, never
 * keys or prompts; the webhook's URL, which often carries a token, is never logged (only its host).
 * Counted in {@code gantry_alerts_sent_total{kind, result}}.
 */
public final class AlertSender implements AlertSink {
    private static final Logger log = LoggerFactory.getLogger(AlertSender.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Optional<URI> webhook;
    private final HttpClient client;
    private final GatewayMetrics metrics;

    /** @param webhook where to post; with none, alerts are only logged */
    public AlertSender(Vertx vertx, Optional<URI> webhook, GatewayMetrics metrics) {
        this.webhook = webhook;
        this.metrics = metrics;
        this.client = webhook.isEmpty() ? null : vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()));
    }

    @Override
    public void send(String kind, String text, Map<String, ?> fields) {
        log.info("alert {}: {}", kind, text);
        if (webhook.isEmpty()) {
            metrics.alertSent(kind, "logged");
            return;
        }
        var details = new JsonObject().put("kind", kind);
        fields.forEach(details::put);
        var body = new JsonObject().put("text", text).put("gantry", details).toBuffer();
        String host = webhook.get().getHost();
        var request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(webhook.get().toString())
                .setTimeout(TIMEOUT.toMillis()).putHeader("content-type", "application/json");
        client.request(request)
                .compose(r -> r.send(body))
                .compose(response -> response.body().map(b -> response.statusCode())) // read it, so the connection is freed
                .onComplete(sent -> {
                    boolean delivered = sent.succeeded() && sent.result() < 300;
                    metrics.alertSent(kind, delivered ? "delivered" : "failed");
                    if (sent.failed()) log.warn("{} alert to {} not delivered: {}", kind, host, sent.cause().toString());
                    else if (!delivered) log.warn("{} alert to {} answered {}", kind, host, sent.result());
                });
    }
}
