package dev.gantry.store;

import dev.gantry.catalog.Price;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Model prices set through the admin API, laid over the catalog shipped with the gateway. Blocking JDBC. */
public final class PriceRepository {
    /** One stored price, in micro-dollars per million tokens. */
    public record StoredPrice(String model, Price price, Instant updatedAt) {}

    private final DataSource ds;

    public PriceRepository(DataSource ds) { this.ds = ds; }

    public List<StoredPrice> list() {
        return Jdbc.run(ds, "list prices", c -> Jdbc.query(c, "SELECT model, input_micros_per_mtok, output_micros_per_mtok, "
                + "cached_input_micros_per_mtok, updated_at FROM model_prices ORDER BY model", List.of(), rs ->
                new StoredPrice(rs.getString("model"), new Price(rs.getLong("input_micros_per_mtok"),
                        rs.getLong("output_micros_per_mtok"), rs.getLong("cached_input_micros_per_mtok")),
                        Jdbc.instant(rs, "updated_at"))));
    }

    /** Sets a model's price, replacing the one stored before. */
    public void put(String model, Price price, Instant at) {
        Jdbc.transaction(ds, "set the price of " + model, c -> {
            Jdbc.update(c, "DELETE FROM model_prices WHERE model = ?", List.of(model));
            return Jdbc.update(c, "INSERT INTO model_prices (model, input_micros_per_mtok, output_micros_per_mtok, "
                    + "cached_input_micros_per_mtok, updated_at) VALUES (?, ?, ?, ?, ?)", List.of(model,
                    price.inputMicrosPerMtok(), price.outputMicrosPerMtok(), price.cachedInputMicrosPerMtok(), at));
        });
    }

    /** @return whether there was a stored price to remove */
    public boolean delete(String model) {
        return Jdbc.run(ds, "remove the price of " + model,
                c -> Jdbc.update(c, "DELETE FROM model_prices WHERE model = ?", List.of(model)) > 0);
    }
}
