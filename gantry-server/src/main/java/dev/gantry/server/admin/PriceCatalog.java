package dev.gantry.server.admin;

import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Price;
import dev.gantry.catalog.PublishedPrices;
import dev.gantry.store.PriceRepository;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Every price the gateway knows, one per model name: those an admin set ({@code admin}) over the
 * gateway's configured models' ({@code config}) over the public list shipped in {@code prices.json}
 * ({@code catalog}). Admin prices win because they exist to correct the others. Blocking (reads the
 * stored prices).
 */
final class PriceCatalog {
    /** One model's price and where it comes from; {@code asOf}, {@code url} and {@code updatedAt} may be null. */
    record Entry(String model, Price price, String source, String host, LocalDate asOf, String url, Instant updatedAt) {
        JsonObject view() {
            return new JsonObject().put("model", model).put("input_per_mtok", perMtok(price.inputMicrosPerMtok()))
                    .put("output_per_mtok", perMtok(price.outputMicrosPerMtok()))
                    .put("cached_input_per_mtok", perMtok(price.cachedInputMicrosPerMtok()))
                    .put("source", source).put("host", host).put("as_of", asOf == null ? null : asOf.toString())
                    .put("source_url", url).put("updated_at", Json.time(updatedAt));
        }
    }

    private final List<PublishedPrices.Entry> published = PublishedPrices.load();
    private final PriceRepository stored;
    private final Supplier<ModelCatalog> models;

    PriceCatalog(PriceRepository stored, Supplier<ModelCatalog> models) {
        this.stored = stored;
        this.models = models;
    }

    List<Entry> all() {
        var byModel = new TreeMap<String, Entry>();
        for (var p : published) byModel.put(p.model(), new Entry(p.model(), p.price(), "catalog", p.host(), p.asOf(), p.source(), null));
        for (var m : models.get().all()) {
            if (!m.price().equals(Price.FREE)) byModel.put(m.name(), new Entry(m.name(), m.price(), "config", null, null, null, null));
        }
        for (var s : stored.list()) byModel.put(s.model(), new Entry(s.model(), s.price(), "admin", null, null, null, s.updatedAt()));
        return List.copyOf(byModel.values());
    }

    Optional<Entry> find(String model) {
        return all().stream().filter(e -> e.model().equals(model)).findFirst();
    }

    static BigDecimal perMtok(long micros) { return BigDecimal.valueOf(micros, 6).stripTrailingZeros(); }
}
