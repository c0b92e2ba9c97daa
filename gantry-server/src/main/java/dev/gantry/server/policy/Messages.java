package dev.gantry.server.policy;

import dev.gantry.auth.ApiKey;
import dev.gantry.limits.BudgetAlert;
import dev.gantry.limits.BudgetLimit;
import dev.gantry.limits.BudgetPeriod;
import dev.gantry.limits.BudgetRefusal;
import dev.gantry.limits.RateLimited;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

/** The sentences people read: why a request was refused, what an alert is about. Built only when needed. */
final class Messages {
    private final ScopeNames names;

    Messages(ScopeNames names) {
        this.names = names;
    }

    /** e.g. "The monthly USD budget of team 'ml' ($50.00) is spent; it resets at 2026-12-01T00:00:00Z." */
    String budgetRefused(BudgetRefusal r, ApiKey key) {
        String budget = "The " + adjective(r.limit().period()) + " " + unitName(r.unit()) + " budget of "
                + names.of(r.limit().scope(), key) + " (" + amount(r.unit(), r.allowed()) + ")";
        long left = r.allowed() - r.spent() - r.reserved();
        String state = r.spent() >= r.allowed() ? " is spent"
                : left <= 0 ? " is taken by requests still running"
                : " has " + amount(r.unit(), left) + " left, less than this request may use (" + amount(r.unit(), r.requested()) + ")";
        return budget + state + "; " + resets(r.resetAt()) + ".";
    }

    /** e.g. "Rate limit of key 'ci' reached: 60 requests per minute. Try again in 12 s." */
    String rateLimited(RateLimited r, ApiKey key, long tokenEstimate) {
        String what = switch (r.kind()) {
            case REQUESTS -> r.limit().rpm() + " requests per minute";
            case TOKENS -> r.limit().tpm() + " tokens per minute (this request may use up to " + tokenEstimate + ")";
            case PARALLEL -> r.limit().maxParallel() + " requests at a time";
        };
        return "Rate limit of " + names.of(r.limit().scope(), key) + " reached: " + what + ". Try again in "
                + r.retryAfterSeconds() + " s.";
    }

    /** The webhook's text: names and amounts only. */
    String alert(BudgetAlert a) {
        return "Gantry: " + names.of(a.limit().scope(), null) + " has spent " + a.percent() + "% of its "
                + adjective(a.limit().period()) + " " + unitName(a.unit()) + " budget (" + amount(a.unit(), a.spent())
                + " of " + amount(a.unit(), a.allowed()) + "); " + resets(a.resetAt()) + ".";
    }

    private static String adjective(BudgetPeriod period) {
        return switch (period) {
            case DAY -> "daily";
            case WEEK -> "weekly";
            case MONTH -> "monthly";
            case TOTAL -> "total";
        };
    }

    private static String unitName(BudgetLimit.Unit unit) {
        return unit == BudgetLimit.Unit.USD_NANOS ? "USD" : "token";
    }

    private static String resets(Optional<Instant> resetAt) {
        return resetAt.map(at -> "it resets at " + at).orElse("it does not reset");
    }

    private static String amount(BudgetLimit.Unit unit, long value) {
        return unit == BudgetLimit.Unit.USD_NANOS ? usd(value) : value + " tokens";
    }

    /** Cents, or more digits for amounts below a cent so that they do not read as $0.00. */
    static String usd(long nanos) {
        BigDecimal dollars = BigDecimal.valueOf(nanos, 9);
        BigDecimal cents = dollars.setScale(2, RoundingMode.HALF_UP);
        if (cents.signum() != 0 || nanos == 0) return "$" + cents.toPlainString();
        return "$" + dollars.round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
