package dev.gantry.server.http;

import dev.gantry.auth.ApiKey;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.protocol.Dialect;
import dev.gantry.server.auth.Authenticator;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** {@code GET /v1/models}: the models the caller's key may use, in OpenAI's list format. */
final class ModelsRoute implements Handler<RoutingContext> {
    private final Authenticator authenticator;
    private final Supplier<ModelCatalog> catalog;

    ModelsRoute(Authenticator authenticator, Supplier<ModelCatalog> catalog) {
        this.authenticator = authenticator;
        this.catalog = catalog;
    }

    @Override
    public void handle(RoutingContext ctx) {
        authenticator.authenticate(ctx.request()).onComplete(result -> {
            if (result.failed()) {
                ErrorResponder.send(ctx.response(), Dialect.OPENAI, result.cause());
                return;
            }
            ApiKey key = result.result();
            var data = new JsonArray();
            for (Model m : catalog.get().all()) {
                if (key.allowsModel(m.name())) {
                    data.add(new JsonObject().put("id", m.name()).put("object", "model").put("created", 0)
                            .put("owned_by", m.deployments().getFirst().provider().name()));
                }
            }
            ctx.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("object", "list").put("data", data).encode());
        });
    }
}
