package dev.gantry.limits;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How long a budget lasts before its spend starts again from zero; {@link #TOTAL} never resets. */
public enum BudgetPeriod {
    DAY, WEEK, MONTH, TOTAL;

    public String dbName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<BudgetPeriod> fromName(String name) {
        return Arrays.stream(values()).filter(p -> p.dbName().equals(name)).findFirst();
    }

    /**
     * The first instant of the window that holds {@code now}: local midnight, Monday 00:00 or the 1st
     * 00:00 in {@code zone}; {@link Instant#EPOCH} for {@link #TOTAL}. Where a DST change skips local
     * midnight, the window starts at the first local time that exists that day.
     */
    public Instant windowStart(Instant now, ZoneId zone) {
        if (this == TOTAL) return Instant.EPOCH;
        return firstDay(LocalDate.ofInstant(now, zone)).atStartOfDay(zone).toInstant();
    }

    /** When the window holding {@code now} ends and the next starts; empty for {@link #TOTAL}. */
    public Optional<Instant> resetAt(Instant now, ZoneId zone) {
        if (this == TOTAL) return Optional.empty();
        LocalDate first = firstDay(LocalDate.ofInstant(now, zone));
        LocalDate next = switch (this) {
            case DAY -> first.plusDays(1);
            case WEEK -> first.plusWeeks(1);
            case MONTH -> first.plusMonths(1);
            case TOTAL -> throw new AssertionError();
        };
        return Optional.of(next.atStartOfDay(zone).toInstant());
    }

    /** Counting in local dates, not in hours, keeps a window a calendar unit long across DST changes. */
    private LocalDate firstDay(LocalDate today) {
        return switch (this) {
            case DAY -> today;
            case WEEK -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> today.withDayOfMonth(1);
            case TOTAL -> throw new AssertionError();
        };
    }
}
