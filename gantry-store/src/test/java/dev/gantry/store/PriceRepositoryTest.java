package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.Price;
import dev.gantry.store.PriceRepository.StoredPrice;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class PriceRepositoryTest {
    static final Instant AT = Instant.parse("2026-11-02T10:00:00Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    PriceRepository prices;

    @BeforeEach
    void create() {
        db = backend.create();
        prices = new PriceRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    @Test
    void aPriceIsSetReplacedAndRemoved() {
        prices.put("m1", new Price(1_250_000, 10_000_000, 125_000), AT);
        prices.put("m1", new Price(1, 2, 3), AT.plusSeconds(1));
        prices.put("m0", new Price(4, 5, 6), AT);

        assertThat(prices.list()).containsExactly(new StoredPrice("m0", new Price(4, 5, 6), AT),
                new StoredPrice("m1", new Price(1, 2, 3), AT.plusSeconds(1)));
        assertThat(prices.delete("m1")).isTrue();
        assertThat(prices.delete("m1")).isFalse();
        assertThat(prices.list()).extracting(StoredPrice::model).containsExactly("m0");
    }
}
