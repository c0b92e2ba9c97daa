package dev.gantry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.routing.CircuitBreaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The breaker's states, driven by explicit instants in nanoseconds. */
class CircuitBreakerTest {
    static final Duration COOLDOWN = Duration.ofSeconds(30);
    static final long T0 = 1_000_000_000L;
    static final long AFTER_COOLDOWN = T0 + COOLDOWN.toNanos();

    final CircuitBreaker breaker = new CircuitBreaker(3, COOLDOWN);

    private void fail(int times, long now) {
        for (int i = 0; i < times; i++) breaker.onFailure(now);
    }

    @Test
    void staysClosedBelowTheThreshold() {
        fail(2, T0);

        assertThat(breaker.state(T0)).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAllow(T0)).isTrue();
    }

    @Test
    void opensAfterThresholdConsecutiveFailures() {
        fail(3, T0);

        assertThat(breaker.state(T0)).isEqualTo(State.OPEN);
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        fail(2, T0);
        breaker.onSuccess();
        fail(2, T0);

        assertThat(breaker.state(T0)).isEqualTo(State.CLOSED);
        fail(1, T0);
        assertThat(breaker.state(T0)).isEqualTo(State.OPEN);
    }

    @Test
    void openRefusesUntilTheCooldownHasPassed() {
        fail(3, T0);

        assertThat(breaker.tryAllow(T0)).isFalse();
        assertThat(breaker.mayAllow(T0)).isFalse();
        assertThat(breaker.tryAllow(AFTER_COOLDOWN - 1)).isFalse();
        assertThat(breaker.state(AFTER_COOLDOWN - 1)).isEqualTo(State.OPEN);
        assertThat(breaker.state(AFTER_COOLDOWN)).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void halfOpenLetsExactlyOneProbeThrough() {
        fail(3, T0);

        assertThat(breaker.mayAllow(AFTER_COOLDOWN)).isTrue();
        assertThat(breaker.tryAllow(AFTER_COOLDOWN)).isTrue();
        assertThat(breaker.tryAllow(AFTER_COOLDOWN)).isFalse();
        assertThat(breaker.mayAllow(AFTER_COOLDOWN + 1)).isFalse();
        assertThat(breaker.tryAllow(AFTER_COOLDOWN + 1)).isFalse();
    }

    @Test
    void aSuccessfulProbeCloses() {
        fail(3, T0);
        breaker.tryAllow(AFTER_COOLDOWN);

        breaker.onSuccess();

        assertThat(breaker.state(AFTER_COOLDOWN)).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAllow(AFTER_COOLDOWN)).isTrue();
        assertThat(breaker.tryAllow(AFTER_COOLDOWN)).isTrue();
    }

    @Test
    void aFailedProbeReopensForAnotherCooldownAtOnce() {
        fail(3, T0);
        long probeAt = AFTER_COOLDOWN + 5;
        breaker.tryAllow(probeAt);

        breaker.onFailure(probeAt); // one failure is enough: no threshold for the probe

        assertThat(breaker.state(probeAt)).isEqualTo(State.OPEN);
        assertThat(breaker.tryAllow(probeAt + COOLDOWN.toNanos() - 1)).isFalse();
        assertThat(breaker.tryAllow(probeAt + COOLDOWN.toNanos())).isTrue();
    }

    @Test
    void aNeutralProbeLetsAnotherProbeGo() {
        fail(3, T0);
        assertThat(breaker.tryAllow(AFTER_COOLDOWN)).isTrue();

        breaker.onNeutral();

        assertThat(breaker.state(AFTER_COOLDOWN)).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAllow(AFTER_COOLDOWN)).isTrue();
        assertThat(breaker.tryAllow(AFTER_COOLDOWN)).isFalse();
    }

    @Test
    void opensEvenWhenTheCooldownEndsAtInstantZero() {
        // openUntil == 0 means closed: an opening that would end exactly at 0 must still open
        fail(3, -COOLDOWN.toNanos());

        assertThat(breaker.state(-COOLDOWN.toNanos())).isEqualTo(State.OPEN);
    }
}
