package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.Price;
import dev.gantry.usage.TokenUsage;
import org.junit.jupiter.api.Test;

/** The cost a budget reserves before a request goes upstream. */
class WorstCaseTest {
    /** 3 USD per Mtok in, 15 out. */
    static final Price PRICE = new Price(3_000_000, 15_000_000, 300_000);
    final WorstCase worstCase = new WorstCase(4_096);

    @Test
    void chargesThePromptAndMaxTokensAtFullPrice() {
        // 1,000 x 3 USD/Mtok + 500 x 15 USD/Mtok = 0.003 + 0.0075 USD
        assertThat(worstCase.costNanos(PRICE, 1_000, 500)).isEqualTo(10_500_000);
        assertThat(worstCase.tokens(1_000, 500)).isEqualTo(1_500);
    }

    @Test
    void assumesTheCapWithoutMaxTokens() {
        assertThat(worstCase.outputTokens(0)).isEqualTo(4_096);
        assertThat(worstCase.tokens(1_000, 0)).isEqualTo(5_096);
        assertThat(worstCase.costNanos(PRICE, 0, 0)).isEqualTo(4_096 * 15_000L);
    }

    @Test
    void neverReservesLessThanThePriceListCharges() {
        Price odd = new Price(1, 7, 1); // fractions of a nano per token
        long worst = worstCase.costNanos(odd, 333, 111);
        long actual = odd.costNanos(new TokenUsage(333, 111, 0, false));

        assertThat(worst).isGreaterThanOrEqualTo(actual).isEqualTo(2); // 333 + 777 micros/Mtok = 1.11 nanos
    }

    @Test
    void anAbsurdMaxTokensSaturatesInsteadOfWrappingToFree() {
        assertThat(worstCase.costNanos(PRICE, 1_000, Long.MAX_VALUE / 2)).isEqualTo(Long.MAX_VALUE);
        assertThat(worstCase.tokens(1_000, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }
}
