package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code x-ratelimit-*} headers, written as OpenAI writes them. */
class RateLimitStatusTest {
    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "250, 250ms",
            "1000, 1s",
            "1500, 1.5s",
            "1050, 1.05s",
            "59999, 59.999s",
            "360000, 6m0s",
            "90500, 1m30.5s",
            "3600000, 1h0m0s",
    })
    void durationsAreWrittenLikeGoDurations(long millis, String expected) {
        assertThat(RateLimitStatus.duration(millis)).isEqualTo(expected);
    }

    @Test
    void onlyTheKindsThatAreLimitedGetHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();

        new RateLimitStatus(0, 0, 0, 40_000, 39_000, 6_000).writeHeaders(headers::put);

        assertThat(headers).containsOnlyKeys("x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens")
                .containsEntry("x-ratelimit-reset-tokens", "6s");
    }
}
