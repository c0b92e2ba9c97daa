package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sliding-window and parallel limits, driven by explicit instants on one thread. */
class LocalLimitCountersTest {
    /** The start of a wall-clock minute. */
    static final long T0 = Instant.parse("2025-03-15T12:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    static final Scope KEY = Scope.key("key_1");
    static final Scope TEAM = Scope.team("team_1");

    final LocalLimitCounters counters = new LocalLimitCounters();

    static RateLimit rpm(Scope scope, long rpm) { return new RateLimit(scope, rpm, 0, 0); }

    Admission admit(List<RateLimit> limits, long tokens, long now) {
        RateDecision decision = counters.admit(limits, tokens, now);
        assertThat(decision).isInstanceOf(Admission.class);
        return (Admission) decision;
    }

    RateLimited refuse(List<RateLimit> limits, long tokens, long now) {
        RateDecision decision = counters.admit(limits, tokens, now);
        assertThat(decision).isInstanceOf(RateLimited.class);
        return (RateLimited) decision;
    }

    int admitted(List<RateLimit> limits, int attempts, long now) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (counters.admit(limits, 0, now) instanceof Admission a) {
                admitted++;
                counters.release(a, 0, now);
            }
        }
        return admitted;
    }

    @Test
    void aBurstAdmitsExactlyRpm() {
        assertThat(admitted(List.of(rpm(KEY, 100)), 1_000, T0 + 30_000)).isEqualTo(100);
    }

    @Test
    void aBurstIsRememberedIntoTheNextMinute() {
        List<RateLimit> limits = List.of(rpm(KEY, 100));
        admitted(limits, 100, T0 + 59_000);

        // a quarter into the next minute, three quarters of the previous one still count
        assertThat(admitted(limits, 1_000, T0 + MINUTE + 15_000)).isEqualTo(25);
    }

    @Test
    void retryAfterIsWhenTheRequestFitsAgain() {
        List<RateLimit> limits = List.of(rpm(KEY, 10));
        admitted(limits, 10, T0);

        RateLimited refused = refuse(limits, 0, T0);

        // next minute, the previous one's 10 must weigh no more than 9: 10% into it
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(MINUTE + 6_000));
        assertThat(refused.retryAfterSeconds()).isEqualTo(66);
        assertThat(refused.kind()).isEqualTo(RateLimited.Kind.REQUESTS);
        refuse(limits, 0, T0 + MINUTE + 5_999);
        admit(limits, 0, T0 + MINUTE + 6_000);
    }

    @Test
    void retryAfterWithinTheMinuteAsThePreviousOneFades() {
        List<RateLimit> limits = List.of(rpm(KEY, 10));
        admitted(limits, 10, T0);
        long halfway = T0 + MINUTE + 30_000;
        assertThat(admitted(limits, 5, halfway)).isEqualTo(5);

        RateLimited refused = refuse(limits, 0, halfway);

        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(6_000));
        refuse(limits, 0, halfway + 5_999);
        admit(limits, 0, halfway + 6_000);
    }

    @Test
    void aSteadyOverloadIsHeldWithinAFewPercentOfTheLimit() {
        List<RateLimit> limits = List.of(rpm(KEY, 600));
        int[] perSecond = new int[600];

        for (long now = T0; now < T0 + 10 * MINUTE; now += 25) { // 2,400 attempts a minute
            if (counters.admit(limits, 0, now) instanceof Admission a) {
                perSecond[(int) ((now - T0) / 1_000)]++;
                counters.release(a, 0, now);
            }
        }

        assertThat(admittedBetween(perSecond, 0, 60)).isEqualTo(600);
        // every 60 seconds after the first minute, not only whole minutes, stay near the limit
        for (int from = 60; from <= 540; from += 5) assertThat(admittedBetween(perSecond, from, from + 60)).isBetween(570, 630);
    }

    static int admittedBetween(int[] perSecond, int from, int to) {
        int sum = 0;
        for (int second = from; second < to; second++) sum += perSecond[second];
        return sum;
    }

    @Test
    void tokensAreCountedAsEstimatedThenCorrectedToRealUse() {
        List<RateLimit> limits = List.of(new RateLimit(KEY, 0, 10_000, 0));
        Admission first = admit(limits, 6_000, T0);

        RateLimited refused = refuse(limits, 6_000, T0);
        assertThat(refused.kind()).isEqualTo(RateLimited.Kind.TOKENS);

        counters.release(first, 1_000, T0 + 1_000);
        Admission second = admit(limits, 6_000, T0 + 1_000);
        assertThat(second.status().remainingTokens()).isEqualTo(3_000);
    }

    @Test
    void aCorrectionAfterTheMinuteEndedLandsInThePreviousBucket() {
        List<RateLimit> limits = List.of(new RateLimit(KEY, 0, 10_000, 0));
        Admission big = admit(limits, 10_000, T0 + 50_000);
        admit(limits, 0, T0 + MINUTE); // moves the buckets on

        counters.release(big, 0, T0 + MINUTE);

        assertThat(admit(limits, 10_000, T0 + MINUTE).status().remainingTokens()).isZero();
    }

    @Test
    void aRequestLargerThanTpmIsToldToWaitAMinute() {
        RateLimited refused = refuse(List.of(new RateLimit(KEY, 0, 10_000, 0)), 20_000, T0);

        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void maxParallelCountsRequestsInFlight() {
        List<RateLimit> limits = List.of(new RateLimit(KEY, 0, 0, 2));
        Admission first = admit(limits, 0, T0);
        admit(limits, 0, T0);

        RateLimited refused = refuse(limits, 0, T0);
        assertThat(refused.kind()).isEqualTo(RateLimited.Kind.PARALLEL);
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));

        counters.release(first, 0, T0);
        counters.release(first, 0, T0); // ignored: frees one slot, not two
        admit(limits, 0, T0);
        refuse(limits, 0, T0);
    }

    @Test
    void aRefusedRequestCountsOnNoScope() {
        admit(List.of(rpm(KEY, 100), rpm(TEAM, 1)), 0, T0);

        RateLimited refused = refuse(List.of(rpm(KEY, 100), rpm(TEAM, 1)), 0, T0);

        assertThat(refused.limit().scope()).isEqualTo(TEAM);
        assertThat(admit(List.of(rpm(KEY, 100)), 0, T0).status().remainingRequests()).isEqualTo(98);
    }

    @Test
    void theStatusShowsTheTightestLimitOfEachKind() {
        List<RateLimit> limits = List.of(new RateLimit(KEY, 100, 5_000, 0), new RateLimit(TEAM, 10, 100_000, 0));

        RateLimitStatus status = admit(limits, 1_000, T0 + 20_000).status();

        assertThat(status).isEqualTo(new RateLimitStatus(10, 9, 100_000, 5_000, 4_000, 100_000));
        Map<String, String> headers = new LinkedHashMap<>();
        status.writeHeaders(headers::put);
        assertThat(headers).containsExactly(
                Map.entry("x-ratelimit-limit-requests", "10"),
                Map.entry("x-ratelimit-remaining-requests", "9"),
                Map.entry("x-ratelimit-reset-requests", "1m40s"),
                Map.entry("x-ratelimit-limit-tokens", "5000"),
                Map.entry("x-ratelimit-remaining-tokens", "4000"),
                Map.entry("x-ratelimit-reset-tokens", "1m40s"));
    }

    @Test
    void aRefusalCarriesTheStatusToo() {
        List<RateLimit> limits = List.of(rpm(KEY, 1));
        admit(limits, 0, T0);

        RateLimitStatus status = refuse(limits, 0, T0 + 30_000).status();

        assertThat(status.limitRequests()).isEqualTo(1);
        assertThat(status.remainingRequests()).isZero();
        assertThat(status.resetRequestsMillis()).isEqualTo(90_000);
    }

    @Test
    void withoutLimitsEverythingIsAdmittedAndNoHeadersAreSent() {
        Admission admission = admit(List.of(), 1_000_000, T0);

        assertThat(admission.status()).isEqualTo(RateLimitStatus.NONE);
        counters.release(admission, 5, T0);
        Map<String, String> headers = new LinkedHashMap<>();
        admission.status().writeHeaders(headers::put);
        assertThat(headers).isEmpty();
    }

    @Test
    void aSweepForgetsIdleScopesButNotThoseWithRequestsInFlight() {
        List<RateLimit> busy = List.of(new RateLimit(TEAM, 0, 0, 1));
        admitted(List.of(rpm(KEY, 100)), 1, T0);
        admit(busy, 0, T0);

        counters.sweep(T0 + MINUTE);
        assertThat(counters.trackedScopes()).isEqualTo(2);
        counters.sweep(T0 + 10 * MINUTE);

        assertThat(counters.trackedScopes()).isEqualTo(1);
        refuse(busy, 0, T0 + 10 * MINUTE); // its slot is still taken
    }
}
