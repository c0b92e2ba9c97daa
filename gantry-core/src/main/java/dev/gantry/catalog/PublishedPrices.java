package dev.gantry.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The public list prices shipped with the gateway ({@code prices.json}): what a model would cost at
 * its maker's or a common host's price, for comparing spend ("what would this have cost on GPT-5?").
 * Each entry says when the price was taken and where from; they go stale, admins override them.
 */
public final class PublishedPrices {
    /** One published price. {@code host} is who sells it at that price. */
    public record Entry(String model, String host, Price price, LocalDate asOf, String source) {}

    private PublishedPrices() {}

    /** The shipped list, in file order. */
    public static List<Entry> load() {
        try (InputStream in = PublishedPrices.class.getResourceAsStream("/prices.json")) {
            if (in == null) throw new IllegalStateException("prices.json is missing from the jar");
            var entries = new ArrayList<Entry>();
            for (JsonNode n : new ObjectMapper().readTree(in).path("prices")) {
                var price = new Price(micros(n, "input"), micros(n, "output"), micros(n, "cached_input"));
                entries.add(new Entry(n.path("model").asText(), n.path("host").asText(), price,
                        LocalDate.parse(n.path("as_of").asText()), n.path("source").asText()));
            }
            return List.copyOf(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long micros(JsonNode entry, String field) {
        return new BigDecimal(entry.path(field).asText()).movePointRight(6).longValueExact();
    }
}
