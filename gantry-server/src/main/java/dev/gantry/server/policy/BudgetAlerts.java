package dev.gantry.server.policy;

import dev.gantry.limits.BudgetAlert;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts budget threshold alerts to {@code governance.alert_webhook} as Slack-compatible
 * {@code {"text": "..."}}. Fire and forget: the post runs on Vert.x's client with a timeout, a
 * failure is logged and not retried (the next threshold will post again), and nothing waits for it.
 * The text names scopes and amounts only; the webhook's URL, which often carries a token, is never
 * logged.
 */
final class BudgetAlerts {
    private static final Logger log = LoggerFactory.getLogger(BudgetAlerts.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Optional<URI> webhook;
    private final HttpClient client;
    private final Messages messages;

    /** @param webhook where to post; with none, alerts are only logged */
    BudgetAlerts(Vertx vertx, Optional<URI> webhook, Messages messages) {
        this.webhook = webhook;
        this.messages = messages;
        this.client = webhook.isEmpty() ? null : vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()));
    }

    void post(BudgetAlert alert) {
        String text = messages.alert(alert);
        log.info("budget alert: {}", text);
        if (webhook.isEmpty()) return;
        String host = webhook.get().getHost();
        var request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(webhook.get().toString())
                .setTimeout(TIMEOUT.toMillis()).putHeader("content-type", "application/json");
        client.request(request)
                .compose(r -> r.send(new JsonObject().put("text", text).toBuffer()))
                .compose(response -> response.body().map(body -> response.statusCode())) // read it, so the connection is freed
                .onComplete(sent -> {
                    if (sent.failed()) log.warn("budget alert to {} not delivered: {}", host, sent.cause().toString());
                    else if (sent.result() >= 300) log.warn("budget alert to {} answered {}", host, sent.result());
                });
    }
}
