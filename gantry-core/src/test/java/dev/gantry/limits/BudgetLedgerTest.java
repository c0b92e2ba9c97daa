package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reserving worst cases on budgets, settling real costs, windows, loads and alerts, on one thread. */
class BudgetLedgerTest {
    static final Instant NOW = Instant.parse("2025-03-15T12:00:00Z");
    static final Instant MONTH_START = Instant.parse("2025-03-01T00:00:00Z");
    static final Scope KEY = Scope.key("key_1");
    static final Scope TEAM = Scope.team("team_1");

    final RecordingListener listener = new RecordingListener();
    final BudgetLedger ledger = new BudgetLedger(ZoneOffset.UTC, List.of(50, 80, 100), listener);

    static BudgetLimit usd(Scope scope, long nanos) { return new BudgetLimit(scope, nanos, null, BudgetPeriod.MONTH); }

    static BudgetLimit daily(Scope scope, long nanos) { return new BudgetLimit(scope, nanos, null, BudgetPeriod.DAY); }

    Reservation reserve(List<BudgetLimit> limits, long costNanos, Instant now) {
        BudgetDecision decision = ledger.reserve(limits, costNanos, 0, now);
        assertThat(decision).isInstanceOf(Reservation.class);
        return (Reservation) decision;
    }

    BudgetRefusal refuse(List<BudgetLimit> limits, long costNanos, Instant now) {
        BudgetDecision decision = ledger.reserve(limits, costNanos, 0, now);
        assertThat(decision).isInstanceOf(BudgetRefusal.class);
        return (BudgetRefusal) decision;
    }

    /** Reserves and settles at once: a request that cost exactly {@code nanos}. */
    void spend(BudgetLimit limit, long nanos, Instant now) {
        ledger.settle(reserve(List.of(limit), nanos, now), nanos, 0, now);
    }

    BudgetSnapshot snapshot(Scope scope, Instant now) { return ledger.snapshot(scope, now).orElseThrow(); }

    @Test
    void reservesOnEveryBudgetThenReplacesTheReservationByTheRealCost() {
        List<BudgetLimit> limits = List.of(usd(KEY, 1_000), usd(Scope.ORG, 10_000));

        Reservation reservation = reserve(limits, 300, NOW);

        assertThat(snapshot(KEY, NOW).reservedNanos()).isEqualTo(300);
        assertThat(snapshot(Scope.ORG, NOW).reservedNanos()).isEqualTo(300);

        ledger.settle(reservation, 120, 0, NOW);

        for (Scope scope : List.of(KEY, Scope.ORG)) {
            assertThat(snapshot(scope, NOW).spentNanos()).isEqualTo(120);
            assertThat(snapshot(scope, NOW).reservedNanos()).isZero();
        }
    }

    @Test
    void refusesAWorstCaseThatWouldPassTheLimitAndSaysWhenItResets() {
        BudgetLimit key = usd(KEY, 1_000);
        spend(key, 800, NOW);

        BudgetRefusal refusal = refuse(List.of(key), 300, NOW);

        assertThat(refusal).isEqualTo(new BudgetRefusal(key, BudgetLimit.Unit.USD_NANOS, 1_000, 800, 0, 300,
                java.util.Optional.of(Instant.parse("2025-04-01T00:00:00Z"))));
        reserve(List.of(key), 200, NOW); // exactly the rest fits
    }

    @Test
    void outstandingReservationsCountAgainstTheLimit() {
        BudgetLimit key = usd(KEY, 1_000);
        reserve(List.of(key), 600, NOW);

        BudgetRefusal refusal = refuse(List.of(key), 600, NOW);

        assertThat(refusal.reserved()).isEqualTo(600);
    }

    @Test
    void namesTheFirstBudgetWithoutRoomAndReservesOnNone() {
        List<BudgetLimit> limits = List.of(usd(KEY, 10_000), usd(TEAM, 100), usd(Scope.ORG, 50));

        BudgetRefusal refusal = refuse(limits, 500, NOW);

        assertThat(refusal.limit().scope()).isEqualTo(TEAM);
        assertThat(snapshot(KEY, NOW).reservedNanos()).isZero();
        assertThat(ledger.snapshot(Scope.ORG, NOW)).isEmpty(); // never reached
    }

    @Test
    void tokenBudgetsCountInputPlusOutputTokens() {
        BudgetLimit tokens = new BudgetLimit(KEY, null, 1_000L, BudgetPeriod.MONTH);
        ledger.reserve(List.of(tokens), 5_000_000, 600, NOW);

        BudgetDecision second = ledger.reserve(List.of(tokens), 1, 600, NOW);

        assertThat(second).isInstanceOfSatisfying(BudgetRefusal.class,
                r -> assertThat(r.unit()).isEqualTo(BudgetLimit.Unit.TOKENS));
    }

    @Test
    void anExhaustedBudgetRefusesEvenARequestPricedAtZero() {
        BudgetLimit key = usd(KEY, 1_000);
        spend(key, 999, NOW);
        reserve(List.of(key), 0, NOW);

        spend(key, 1, NOW);

        refuse(List.of(key), 0, NOW);
    }

    @Test
    void aFailedRequestGivesItsReservationBack() {
        BudgetLimit key = usd(KEY, 1_000);

        ledger.settle(reserve(List.of(key), 1_000, NOW), 0, 0, NOW);

        assertThat(snapshot(KEY, NOW).spentNanos()).isZero();
        reserve(List.of(key), 1_000, NOW);
    }

    @Test
    void aSecondSettleOfTheSameReservationIsIgnored() {
        BudgetLimit key = usd(KEY, 1_000);
        Reservation reservation = reserve(List.of(key), 500, NOW);

        ledger.settle(reservation, 400, 0, NOW);
        ledger.settle(reservation, 400, 0, NOW);

        assertThat(snapshot(KEY, NOW)).satisfies(s -> {
            assertThat(s.spentNanos()).isEqualTo(400);
            assertThat(s.reservedNanos()).isZero();
        });
    }

    @Test
    void aNewWindowStartsFromZero() {
        BudgetLimit key = daily(KEY, 1_000);
        spend(key, 900, NOW);
        Instant tomorrow = Instant.parse("2025-03-16T08:00:00Z");

        reserve(List.of(key), 1_000, tomorrow);

        assertThat(snapshot(KEY, tomorrow)).satisfies(s -> {
            assertThat(s.windowStart()).isEqualTo(Instant.parse("2025-03-16T00:00:00Z"));
            assertThat(s.resetAt()).contains(Instant.parse("2025-03-17T00:00:00Z"));
            assertThat(s.spentNanos()).isZero();
            assertThat(s.reservedNanos()).isEqualTo(1_000);
        });
    }

    @Test
    void aRequestCountsInTheWindowItStartedIn() {
        BudgetLimit key = daily(KEY, 1_000);
        Instant beforeMidnight = Instant.parse("2025-03-15T23:59:59Z");
        Instant afterMidnight = Instant.parse("2025-03-16T00:00:01Z");
        Reservation late = reserve(List.of(key), 800, beforeMidnight);

        Reservation early = reserve(List.of(key), 900, afterMidnight); // yesterday's reservation is not held against today
        ledger.settle(late, 700, 0, afterMidnight);

        assertThat(snapshot(KEY, afterMidnight).spentNanos()).isZero();
        ledger.settle(early, 300, 0, afterMidnight);
        assertThat(snapshot(KEY, afterMidnight)).satisfies(s -> {
            assertThat(s.spentNanos()).isEqualTo(300);
            assertThat(s.reservedNanos()).isZero();
        });
    }

    @Test
    void aSnapshotAfterTheBoundaryShowsTheNewWindow() {
        BudgetLimit key = daily(KEY, 1_000);
        spend(key, 900, NOW);

        BudgetSnapshot next = snapshot(KEY, Instant.parse("2025-03-16T00:00:00Z"));

        assertThat(next.spentNanos()).isZero();
        assertThat(next.limit()).contains(key);
        assertThat(ledger.snapshot(TEAM, NOW)).isEmpty();
    }

    @Test
    void alertsEachThresholdOncePerWindow() {
        BudgetLimit key = daily(KEY, 1_000);

        spend(key, 400, NOW);
        assertThat(listener.alerts).isEmpty();
        spend(key, 100, NOW);
        assertThat(listener.percents()).containsExactly(50);
        spend(key, 350, NOW);
        spend(key, 150, NOW);
        ledger.settle(reserve(List.of(daily(KEY, 2_000)), 10, NOW), 10, 0, NOW); // raised: 50% of it is no news
        assertThat(listener.percents()).containsExactly(50, 80, 100);
        assertThat(listener.alerts.get(2)).satisfies(a -> {
            assertThat(a.limit()).isEqualTo(key);
            assertThat(a.unit()).isEqualTo(BudgetLimit.Unit.USD_NANOS);
            assertThat(a.spent()).isEqualTo(1_000);
            assertThat(a.allowed()).isEqualTo(1_000);
            assertThat(a.windowStart()).isEqualTo(Instant.parse("2025-03-15T00:00:00Z"));
        });

        spend(key, 800, Instant.parse("2025-03-16T12:00:00Z"));

        assertThat(listener.percents()).containsExactly(50, 80, 100, 50, 80);
    }

    @Test
    void alertsTokenBudgetsToo() {
        BudgetLimit tokens = new BudgetLimit(KEY, null, 1_000L, BudgetPeriod.MONTH);

        ledger.settle((Reservation) ledger.reserve(List.of(tokens), 0, 900, NOW), 0, 850, NOW);

        assertThat(listener.alerts).extracting(BudgetAlert::unit).containsOnly(BudgetLimit.Unit.TOKENS);
        assertThat(listener.percents()).containsExactly(50, 80);
    }

    @Test
    void loadedSpendCountsAgainstTheBudget() {
        BudgetLimit key = usd(KEY, 1_000);

        assertThat(ledger.loadSpent(KEY, BudgetPeriod.MONTH, MONTH_START, 900, 12_345)).isTrue();

        assertThat(refuse(List.of(key), 200, NOW).spent()).isEqualTo(900);
        assertThat(snapshot(KEY, NOW).spentTokens()).isEqualTo(12_345);
        assertThat(listener.unknowns).isEmpty(); // the ledger knew this scope's spend
    }

    @Test
    void thresholdsTheLoadedSpendAlreadyReachedAreNotAlertedAgain() {
        BudgetLimit key = usd(KEY, 1_000);
        ledger.loadSpent(KEY, BudgetPeriod.MONTH, MONTH_START, 850, 0);

        spend(key, 10, NOW);
        assertThat(listener.alerts).isEmpty();
        spend(key, 140, NOW);

        assertThat(listener.percents()).containsExactly(100);
    }

    @Test
    void aLoadKeepsTheLargerOfTheCountedAndTheLoadedSpend() {
        BudgetLimit key = usd(KEY, 1_000);
        spend(key, 300, NOW);

        ledger.loadSpent(KEY, BudgetPeriod.MONTH, MONTH_START, 200, 0);
        assertThat(snapshot(KEY, NOW).spentNanos()).isEqualTo(300);
        ledger.loadSpent(KEY, BudgetPeriod.MONTH, MONTH_START, 500, 0);
        assertThat(snapshot(KEY, NOW).spentNanos()).isEqualTo(500);
    }

    @Test
    void aLoadForAnOlderWindowIsIgnored() {
        spend(daily(KEY, 1_000), 300, NOW);

        boolean applied = ledger.loadSpent(KEY, BudgetPeriod.DAY, Instant.parse("2025-03-14T00:00:00Z"), 900, 0);

        assertThat(applied).isFalse();
        assertThat(snapshot(KEY, NOW).spentNanos()).isEqualTo(300);
    }

    @Test
    void aLoadMustStartAWindow() {
        assertThatThrownBy(() -> ledger.loadSpent(KEY, BudgetPeriod.MONTH, NOW, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void asksForTheSpendOfAScopeItStartsCounting() {
        reserve(List.of(usd(KEY, 1_000)), 10, NOW);
        reserve(List.of(usd(KEY, 1_000)), 10, NOW);

        assertThat(listener.unknowns).containsExactly(new RecordingListener.Unknown(KEY, BudgetPeriod.MONTH, MONTH_START));
    }

    @Test
    void asksAgainWhenABudgetsPeriodChanges() {
        ledger.loadSpent(KEY, BudgetPeriod.MONTH, MONTH_START, 500, 0);

        reserve(List.of(daily(KEY, 1_000)), 10, NOW);

        assertThat(listener.unknowns).containsExactly(
                new RecordingListener.Unknown(KEY, BudgetPeriod.DAY, Instant.parse("2025-03-15T00:00:00Z")));
        assertThat(snapshot(KEY, NOW).spentNanos()).isZero();
    }

    @Test
    void aSweepForgetsScopesIdleForTwoWindowsButNotThoseWithReservations() {
        Scope other = Scope.key("key_2");
        spend(daily(KEY, 1_000), 100, NOW);
        reserve(List.of(daily(other, 1_000)), 100, NOW);
        spend(new BudgetLimit(TEAM, 1_000L, null, BudgetPeriod.TOTAL), 100, NOW);

        ledger.sweep(NOW.plusSeconds(86_400)); // one day idle: kept
        assertThat(ledger.snapshot(KEY, NOW)).isPresent();
        ledger.sweep(NOW.plusSeconds(3 * 86_400));

        assertThat(ledger.snapshot(KEY, NOW)).isEmpty();
        assertThat(ledger.snapshot(other, NOW)).isPresent();
        assertThat(ledger.snapshot(TEAM, NOW)).isPresent();
    }

    @Test
    void aForgottenScopeIsCountedAfreshAndItsSpendAskedFor() {
        spend(daily(KEY, 1_000), 100, NOW);
        Instant later = NOW.plusSeconds(3 * 86_400);
        ledger.sweep(later);
        listener.unknowns.clear();

        reserve(List.of(daily(KEY, 1_000)), 1_000, later);

        assertThat(listener.unknowns).hasSize(1);
    }

    @Test
    void noBudgetMeansNothingToReserve() {
        BudgetDecision decision = ledger.reserve(List.of(), Long.MAX_VALUE, Long.MAX_VALUE, NOW);

        assertThat(decision).isInstanceOf(Reservation.class);
        ledger.settle((Reservation) decision, 5, 5, NOW);
    }
}
