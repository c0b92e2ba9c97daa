package dev.gantry.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedPricesTest {

    @Test
    void everyEntryIsDatedSourcedAndPricedOnce() {
        List<PublishedPrices.Entry> all = PublishedPrices.load();
        assertThat(all).hasSizeGreaterThan(20);
        assertThat(all).extracting(PublishedPrices.Entry::model).doesNotHaveDuplicates();
        for (var e : all) {
            assertThat(e.source()).as(e.model()).startsWith("https://");
            assertThat(e.asOf()).as(e.model()).isBefore(LocalDate.of(2026, 1, 1));
            assertThat(e.price().inputMicrosPerMtok()).as(e.model()).isPositive();
            assertThat(e.price().cachedInputMicrosPerMtok()).as(e.model()).isBetween(0L, e.price().inputMicrosPerMtok());
        }
        var gpt5 = all.stream().filter(e -> e.model().equals("gpt-5")).findFirst().orElseThrow();
        assertThat(gpt5.price()).isEqualTo(new Price(1_250_000, 10_000_000, 125_000));
    }
}
