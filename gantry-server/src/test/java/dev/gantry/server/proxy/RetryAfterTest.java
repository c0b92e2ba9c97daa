package dev.gantry.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a retry-after header in seconds; anything else waits the default second. */
class RetryAfterTest {
    @Test
    void wholeSeconds() {
        assertThat(RetryAfter.parse("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 2 ")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void fractionalSecondsKeepTheirMilliseconds() {
        assertThat(RetryAfter.parse("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryAfter.parse("1.25")).isEqualTo(Duration.ofMillis(1_250));
    }

    @Test
    void zeroMeansNoWait() {
        assertThat(RetryAfter.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void absentMeansTheDefault() {
        assertThat(RetryAfter.parse(null)).isEqualTo(RetryAfter.DEFAULT).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-0.5", "", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "1 2"})
    void negativeOrUnreadableMeansTheDefault(String header) {
        assertThat(RetryAfter.parse(header)).isEqualTo(RetryAfter.DEFAULT);
    }

    @Test
    void notANumberMeansTheDefault() {
        assertThat(RetryAfter.parse("NaN")).isEqualTo(RetryAfter.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"601", "86400", "1e30", "Infinity"})
    void hugeValuesAreCappedAtTenMinutes(String header) {
        assertThat(RetryAfter.parse(header)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void tenMinutesExactlyIsKept() {
        assertThat(RetryAfter.parse("600")).isEqualTo(Duration.ofMinutes(10));
        assertThat(RetryAfter.parse("599.5")).isEqualTo(Duration.ofMillis(599_500));
    }
}
