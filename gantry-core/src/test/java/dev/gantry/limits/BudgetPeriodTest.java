package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Where budget windows start and end: calendar days, weeks and months in a zone, across DST changes. */
class BudgetPeriodTest {
    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Brazil's DST began at midnight: on 2018-11-04 local time went from 23:59:59 to 01:00. */
    static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

    static Instant at(String instant) { return Instant.parse(instant); }

    @Test
    void aDayRunsFromMidnightToMidnight() {
        Instant now = at("2025-03-15T13:45:00Z");

        assertThat(BudgetPeriod.DAY.windowStart(now, UTC)).isEqualTo(at("2025-03-15T00:00:00Z"));
        assertThat(BudgetPeriod.DAY.resetAt(now, UTC)).contains(at("2025-03-16T00:00:00Z"));
    }

    @Test
    void midnightItselfBelongsToTheDayItStarts() {
        Instant midnight = at("2025-03-16T00:00:00Z");

        assertThat(BudgetPeriod.DAY.windowStart(midnight, UTC)).isEqualTo(midnight);
        assertThat(BudgetPeriod.DAY.resetAt(midnight.minusMillis(1), UTC)).contains(midnight);
    }

    @Test
    void theDayClocksSpringForwardLasts23Hours() {
        Instant now = at("2025-03-09T16:00:00Z"); // noon EDT

        Instant start = BudgetPeriod.DAY.windowStart(now, NEW_YORK);
        Instant reset = BudgetPeriod.DAY.resetAt(now, NEW_YORK).orElseThrow();

        assertThat(start).isEqualTo(at("2025-03-09T05:00:00Z")); // 00:00 EST
        assertThat(reset).isEqualTo(at("2025-03-10T04:00:00Z")); // 00:00 EDT
        assertThat(Duration.between(start, reset)).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void theDayClocksFallBackLasts25Hours() {
        Instant now = at("2025-11-02T06:30:00Z"); // 01:30 EST, the second time round

        Instant start = BudgetPeriod.DAY.windowStart(now, NEW_YORK);
        Instant reset = BudgetPeriod.DAY.resetAt(now, NEW_YORK).orElseThrow();

        assertThat(start).isEqualTo(at("2025-11-02T04:00:00Z"));
        assertThat(Duration.between(start, reset)).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void aDayWhoseMidnightIsSkippedStartsAtItsFirstHour() {
        Instant now = at("2018-11-04T15:00:00Z");

        assertThat(BudgetPeriod.DAY.windowStart(now, SAO_PAULO)).isEqualTo(at("2018-11-04T03:00:00Z")); // 01:00 -02:00
        assertThat(BudgetPeriod.DAY.resetAt(now, SAO_PAULO)).contains(at("2018-11-05T02:00:00Z"));
        assertThat(BudgetPeriod.DAY.resetAt(at("2018-11-03T15:00:00Z"), SAO_PAULO)).contains(at("2018-11-04T03:00:00Z"));
    }

    @Test
    void aWeekStartsOnMonday() {
        Instant sunday = at("2025-03-09T16:00:00Z");

        assertThat(BudgetPeriod.WEEK.windowStart(sunday, NEW_YORK)).isEqualTo(at("2025-03-03T05:00:00Z"));
        assertThat(BudgetPeriod.WEEK.resetAt(sunday, NEW_YORK)).contains(at("2025-03-10T04:00:00Z")); // DST began in between
    }

    @Test
    void mondayMidnightStartsANewWeek() {
        Instant monday = at("2025-03-10T00:00:00Z");

        assertThat(BudgetPeriod.WEEK.windowStart(monday, UTC)).isEqualTo(monday);
        assertThat(BudgetPeriod.WEEK.resetAt(monday, UTC)).contains(at("2025-03-17T00:00:00Z"));
    }

    @Test
    void aMonthRunsFromTheFirstToTheFirst() {
        Instant lastMoment = at("2025-01-31T23:59:59.999Z");

        assertThat(BudgetPeriod.MONTH.windowStart(lastMoment, UTC)).isEqualTo(at("2025-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTH.resetAt(lastMoment, UTC)).contains(at("2025-02-01T00:00:00Z"));
    }

    @Test
    void monthEndsFollowTheCalendar() {
        assertThat(BudgetPeriod.MONTH.resetAt(at("2024-02-29T12:00:00Z"), UTC)).contains(at("2024-03-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTH.resetAt(at("2025-02-15T12:00:00Z"), UTC)).contains(at("2025-03-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTH.windowStart(at("2025-12-31T23:00:00Z"), UTC)).isEqualTo(at("2025-12-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTH.resetAt(at("2025-12-31T23:00:00Z"), UTC)).contains(at("2026-01-01T00:00:00Z"));
    }

    @Test
    void aMonthIsCountedInTheConfiguredZone() {
        Instant now = at("2025-02-28T23:30:00Z"); // already 1 March, 00:30, in Berlin

        assertThat(BudgetPeriod.MONTH.windowStart(now, BERLIN)).isEqualTo(at("2025-02-28T23:00:00Z"));
        assertThat(BudgetPeriod.MONTH.resetAt(now, BERLIN)).contains(at("2025-03-31T22:00:00Z")); // summer time by then
    }

    @Test
    void aTotalBudgetNeverResets() {
        Instant now = at("2025-06-01T12:00:00Z");

        assertThat(BudgetPeriod.TOTAL.windowStart(now, NEW_YORK)).isEqualTo(Instant.EPOCH);
        assertThat(BudgetPeriod.TOTAL.resetAt(now, NEW_YORK)).isEmpty();
    }
}
