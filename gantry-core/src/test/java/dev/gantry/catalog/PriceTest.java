package dev.gantry.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.usage.TokenUsage;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Costs in nano-dollars from prices in micro-dollars per million tokens: integer arithmetic, no doubles. */
class PriceTest {
    /** Claude Opus-like: 5 USD/Mtok in, 25 out, 0.5 for cached input. */
    static final Price OPUS = new Price(5_000_000, 25_000_000, 500_000);

    static TokenUsage usage(long input, long output, long cached) {
        return new TokenUsage(input, output, cached, false);
    }

    @Test
    void aMillionInputTokensCostTheListPrice() {
        Price flash = new Price(140_000, 280_000, 140_000);

        assertThat(flash.costNanos(usage(1_000_000, 0, 0))).isEqualTo(140_000_000L);   // 0.14 USD
        assertThat(flash.costNanos(usage(0, 1_000_000, 0))).isEqualTo(280_000_000L);
    }

    @Test
    void aSingleTokenIsPricedExactly() {
        assertThat(new Price(140_000, 280_000, 0).costNanos(usage(1, 1, 0))).isEqualTo(140L + 280L);
    }

    @Test
    void cachedInputIsBilledAtTheCachedRate() {
        // 600 fresh input at 5 USD/Mtok + 400 cached at 0.5 + 200 output at 25 = 0.003 + 0.0002 + 0.005 USD
        assertThat(OPUS.costNanos(usage(1_000, 200, 400))).isEqualTo(8_200_000L);
    }

    @Test
    void cachedTokensBeyondTheInputAreNotBilledTwice() {
        assertThat(OPUS.costNanos(usage(100, 0, 500))).isEqualTo(OPUS.costNanos(usage(100, 0, 100)));
        assertThat(OPUS.costNanos(usage(100, 0, 100))).isEqualTo(100L * 500_000 / 1_000);
    }

    @Test
    void freeCostsNothing() {
        assertThat(Price.FREE.costNanos(usage(123_456, 7_890, 12))).isZero();
        assertThat(OPUS.costNanos(TokenUsage.NONE)).isZero();
    }

    @Test
    void agreesWithDecimalArithmeticForPricesToTheTenthOfACent() {
        var random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            // prices given to 0.001 USD/Mtok, as price lists are, up to 100 USD/Mtok
            var price = new Price(random.nextInt(100_000) * 1_000L, random.nextInt(100_000) * 1_000L, random.nextInt(100_000) * 1_000L);
            long input = random.nextInt(2_000_000), output = random.nextInt(200_000), cached = random.nextInt((int) input + 1);

            BigDecimal usd = perToken(price.inputMicrosPerMtok()).multiply(BigDecimal.valueOf(input - cached))
                    .add(perToken(price.cachedInputMicrosPerMtok()).multiply(BigDecimal.valueOf(cached)))
                    .add(perToken(price.outputMicrosPerMtok()).multiply(BigDecimal.valueOf(output)));

            assertThat(BigDecimal.valueOf(price.costNanos(usage(input, output, cached))))
                    .isEqualByComparingTo(usd.movePointRight(9));
        }
    }

    @Test
    void largeVolumesDoNotOverflow() {
        // a billion tokens of a 75 USD/Mtok model: 75,000 USD
        assertThat(new Price(75_000_000, 75_000_000, 0).costNanos(usage(1_000_000_000, 0, 0)))
                .isEqualTo(75_000L * 1_000_000_000L);
    }

    /** USD per token for a price in micro-dollars per million tokens. */
    static BigDecimal perToken(long microsPerMtok) {
        return BigDecimal.valueOf(microsPerMtok).movePointLeft(12);
    }
}
