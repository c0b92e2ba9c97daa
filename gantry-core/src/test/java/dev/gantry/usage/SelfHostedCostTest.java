package dev.gantry.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SelfHostedCostTest {
    static final long TWO_USD_PER_HOUR = 2_000_000; // micro-dollars
    static final long HOUR = 3_600_000;

    @Test
    void aBusyServerSpreadsItsHourlyCostOverManyTokens() {
        var cost = new SelfHostedCost();
        for (int minute = 0; minute < 60; minute++) cost.served("fleet/m", 10_000_000 / 60, minute * 60_000L);

        // ~10 M tokens in the hour: 2 USD / 10 M = 0.20 USD per million = 200,000 micros
        assertThat(cost.effectiveMicrosPerMtok("fleet/m", TWO_USD_PER_HOUR, HOUR - 1)).isBetween(199_000L, 201_000L);
    }

    @Test
    void anIdleServerMakesEachTokenDear() {
        var cost = new SelfHostedCost();
        for (int minute = 0; minute < 60; minute++) cost.served("fleet/m", 100_000 / 60, minute * 60_000L);

        assertThat(cost.effectiveMicrosPerMtok("fleet/m", TWO_USD_PER_HOUR, HOUR - 1)).isBetween(19_900_000L, 20_100_000L);
    }

    @Test
    void aRequestPaysItsShareOfTheWindowsCost() {
        var cost = new SelfHostedCost();
        cost.served("fleet/m", 900, 0);
        cost.served("fleet/m", 100, 30 * 60_000L);

        // 30 minutes of a 2 USD/hour server = 1 USD for 1,000 tokens; 100 of them cost 0.10 USD
        assertThat(cost.costNanos("fleet/m", 100, TWO_USD_PER_HOUR, 30 * 60_000L)).isEqualTo(100_000_000L);
    }

    @Test
    void tokensOlderThanAnHourLeaveTheWindow() {
        var cost = new SelfHostedCost();
        cost.served("fleet/m", 1_000_000, 0);
        cost.served("fleet/m", 1_000, 2 * HOUR);

        // only the recent 1,000 tokens carry the last hour's 2 USD
        assertThat(cost.costNanos("fleet/m", 1_000, TWO_USD_PER_HOUR, 2 * HOUR)).isEqualTo(2_000_000_000L);
    }

    @Test
    void nothingServedMeansNoFigure() {
        assertThat(new SelfHostedCost().effectiveMicrosPerMtok("x", TWO_USD_PER_HOUR, 0)).isEqualTo(-1);
    }
}
