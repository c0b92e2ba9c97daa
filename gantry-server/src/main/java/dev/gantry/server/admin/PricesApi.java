package dev.gantry.server.admin;

import dev.gantry.catalog.Price;
import dev.gantry.server.admin.AuditTrail.Origin;
import dev.gantry.store.PriceRepository;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Set;

/**
 * {@code /api/v1/prices}: the price catalog (anyone with a key reads it) and admins' corrections to
 * it. Corrections are stored and audited; they price nothing the gateway charges (that is
 * {@code models[].price} in the configuration), only what the analytics compare against.
 */
final class PricesApi {
    private static final Set<String> FIELDS = Set.of("input_per_mtok", "output_per_mtok", "cached_input_per_mtok");
    private static final BigDecimal MAX_PER_MTOK = new BigDecimal("100000");

    private final PriceCatalog catalog;
    private final PriceRepository stored;
    private final AuditTrail audit;
    private final Vertx vertx;
    private final Clock clock;

    PricesApi(PriceCatalog catalog, PriceRepository stored, AuditTrail audit, Vertx vertx, Clock clock) {
        this.catalog = catalog;
        this.stored = stored;
        this.audit = audit;
        this.vertx = vertx;
        this.clock = clock;
    }

    void list(RoutingContext ctx) {
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            var data = new JsonArray();
            for (var e : catalog.all()) data.add(e.view());
            return Json.list(data, false);
        }, false));
    }

    /** Sets a model's price; {@code cached_input_per_mtok} defaults to the input price (no cache discount). */
    void put(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String model = ctx.pathParam("model");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            if (model.isBlank() || model.length() > 200) throw Json.invalid("model", "must be 1 to 200 characters");
            JsonObject body = Json.body(ctx, FIELDS);
            long input = micros(body, "input_per_mtok", true), output = micros(body, "output_per_mtok", true);
            long cached = body.getValue("cached_input_per_mtok") == null ? input : micros(body, "cached_input_per_mtok", false);
            JsonObject before = catalog.find(model).map(PriceCatalog.Entry::view).orElse(null);
            stored.put(model, new Price(input, output, cached), clock.instant());
            JsonObject after = catalog.find(model).orElseThrow().view();
            audit.record(origin, "price.set", "price", model, before, after);
            return after;
        }, false));
    }

    /** Removes an admin's price; the model falls back to its configured or published price, if it has one. */
    void delete(RoutingContext ctx) {
        var origin = Origin.of(ctx);
        String model = ctx.pathParam("model");
        Json.reply(ctx, 200, vertx.executeBlocking(() -> {
            JsonObject before = catalog.find(model).filter(e -> e.source().equals("admin")).map(PriceCatalog.Entry::view)
                    .orElseThrow(() -> Json.notFound("price set by an admin for model", model));
            stored.delete(model);
            audit.record(origin, "price.delete", "price", model, before, null);
            return new JsonObject().put("model", model).put("deleted", true)
                    .put("price", catalog.find(model).map(PriceCatalog.Entry::view).orElse(null));
        }, false));
    }

    private static long micros(JsonObject body, String field, boolean required) {
        Object value = body.getValue(field);
        if (value == null && required) throw Json.invalid(field, "is required: USD per million tokens, such as 1.25");
        if (!(value instanceof Number n)) throw Json.invalid(field, "must be a number of USD per million tokens, such as 1.25");
        BigDecimal usd = new BigDecimal(n.toString());
        if (usd.signum() < 0 || usd.compareTo(MAX_PER_MTOK) > 0) throw Json.invalid(field, "must be between 0 and " + MAX_PER_MTOK);
        if (usd.scale() > 6) throw Json.invalid(field, "may have at most 6 decimals");
        return usd.movePointRight(6).longValueExact();
    }
}
