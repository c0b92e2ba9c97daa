package dev.gantry.limits;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One scope's spend in its current budget window, and what running requests hold reserved in it.
 * Not thread-safe by itself: {@link BudgetLedger} holds this object's monitor around every call, so
 * that checking for room and taking it are one step. All instants are epoch milliseconds.
 */
final class ScopeSpend {
    /** What {@link #reserve} returns instead of a generation when there is no room. */
    static final long OVER_USD = -1, OVER_TOKENS = -2;

    final Scope scope;
    /** Set while nobody has reported or loaded the spend from before this window was counted. */
    final AtomicBoolean spendUnknown = new AtomicBoolean();
    private final ZoneId zone;

    private BudgetPeriod period;
    private long windowStart;
    /** Exclusive; {@link Long#MAX_VALUE} for a window that never ends. */
    private long windowEnd;
    /** Counts the windows opened: a reservation settles only into the window it was made in. */
    private long generation;
    private long spentNanos, spentTokens, reservedNanos, reservedTokens;
    private int outstanding;
    /** Bit i set: alert threshold i has been reported in this window. */
    private int usdAlerted, tokensAlerted;
    /** False after a load: the next settle first marks what the loaded spend already reached, silently. */
    private boolean alertsBaselined = true;
    /** The budget last enforced here, for snapshots. */
    private BudgetLimit limit;
    private long lastActivity;
    private boolean retired;

    ScopeSpend(Scope scope, ZoneId zone, BudgetPeriod period, long nowMillis) {
        this.scope = scope;
        this.zone = zone;
        open(period, nowMillis);
        lastActivity = nowMillis;
    }

    /** Taken out of the ledger's map by a sweep: callers look the scope up again. */
    boolean retired() { return retired; }

    void retire() { retired = true; }

    BudgetPeriod period() { return period; }

    Instant windowStart() { return Instant.ofEpochMilli(windowStart); }

    /** Reserves the worst case if it fits: returns the window's generation, or OVER_USD / OVER_TOKENS. */
    long reserve(BudgetLimit limit, long costNanos, long tokens, long nowMillis) {
        follow(limit.period(), nowMillis);
        this.limit = limit;
        lastActivity = nowMillis;
        if (!fits(limit.usdNanos(), spentNanos + reservedNanos, costNanos)) return OVER_USD;
        if (!fits(limit.tokens(), spentTokens + reservedTokens, tokens)) return OVER_TOKENS;
        reservedNanos += costNanos;
        reservedTokens += tokens;
        outstanding++;
        return generation;
    }

    /**
     * An exhausted budget refuses even a request whose worst case is zero: a deployment paid by the
     * hour costs something that no price list predicts.
     */
    private static boolean fits(Long allowed, long used, long amount) {
        return allowed == null || used < allowed && amount <= allowed - used;
    }

    BudgetRefusal refusal(BudgetLimit limit, long overWhat, long costNanos, long tokens) {
        return overWhat == OVER_USD
                ? new BudgetRefusal(limit, BudgetLimit.Unit.USD_NANOS, limit.usdNanos(), spentNanos, reservedNanos, costNanos, resetAt())
                : new BudgetRefusal(limit, BudgetLimit.Unit.TOKENS, limit.tokens(), spentTokens, reservedTokens, tokens, resetAt());
    }

    /** Gives back a reservation that will not be settled (another scope refused the request). */
    void unreserve(long generation, long costNanos, long tokens) {
        if (generation != this.generation) return;
        reservedNanos -= costNanos;
        reservedTokens -= tokens;
        outstanding--;
    }

    /**
     * Replaces a reservation by what the request really cost. A request counts in the window it was
     * made in, as its usage row does (stamped when the request started); if that window is over, it
     * was dropped with it. Returns the thresholds newly reached, or null (the usual case).
     */
    BudgetAlert[] settle(long generation, BudgetLimit limit, long worstCostNanos, long worstTokens, long costNanos,
                         long tokens, long nowMillis, int[] percents) {
        lastActivity = nowMillis;
        if (generation != this.generation) return null;
        reservedNanos -= worstCostNanos;
        reservedTokens -= worstTokens;
        outstanding--;
        if (!alertsBaselined) {
            usdAlerted = reached(limit.usdNanos(), spentNanos, percents);
            tokensAlerted = reached(limit.tokens(), spentTokens, percents);
            alertsBaselined = true;
        }
        spentNanos += costNanos;
        spentTokens += tokens;
        int newUsd = reached(limit.usdNanos(), spentNanos, percents) & ~usdAlerted;
        int newTokens = reached(limit.tokens(), spentTokens, percents) & ~tokensAlerted;
        if ((newUsd | newTokens) == 0) return null;
        usdAlerted |= newUsd;
        tokensAlerted |= newTokens;
        return alerts(limit, newUsd, newTokens, percents);
    }

    /** Bit i set when {@code spent} has reached {@code percents[i]} of a (non-zero) budget. */
    private static int reached(Long allowed, long spent, int[] percents) {
        if (allowed == null || allowed == 0 || spent == 0) return 0;
        int mask = 0;
        for (int i = 0; i < percents.length; i++) {
            if (spent >= share(allowed, percents[i])) mask |= 1 << i;
        }
        return mask;
    }

    /** {@code percent}% of {@code amount} without overflowing, rounded down. */
    private static long share(long amount, int percent) {
        long hundreds = amount / 100;
        if (hundreds > Long.MAX_VALUE / percent) return Long.MAX_VALUE;
        return hundreds * percent + amount % 100 * percent / 100;
    }

    private BudgetAlert[] alerts(BudgetLimit limit, int newUsd, int newTokens, int[] percents) {
        BudgetAlert[] alerts = new BudgetAlert[Integer.bitCount(newUsd) + Integer.bitCount(newTokens)];
        int n = 0;
        for (int i = 0; i < percents.length; i++) {
            if ((newUsd & 1 << i) != 0) {
                alerts[n++] = new BudgetAlert(limit, BudgetLimit.Unit.USD_NANOS, percents[i], spentNanos, limit.usdNanos(),
                        windowStart(), resetAt());
            }
            if ((newTokens & 1 << i) != 0) {
                alerts[n++] = new BudgetAlert(limit, BudgetLimit.Unit.TOKENS, percents[i], spentTokens, limit.tokens(),
                        windowStart(), resetAt());
            }
        }
        return alerts;
    }

    /**
     * Takes the spend the database holds for the window starting at {@code start}. The database and
     * this window count the same settled requests, the database perhaps not the latest (its writes
     * lag) and this window not those from before it was counted, so the larger figure is kept.
     * Returns false for a load of an older window than the current one.
     */
    boolean load(BudgetPeriod period, long start, long costNanos, long tokens) {
        if (period != this.period || start > windowStart) open(period, start);
        else if (start < windowStart) return false;
        spentNanos = Math.max(spentNanos, costNanos);
        spentTokens = Math.max(spentTokens, tokens);
        alertsBaselined = false;
        spendUnknown.set(false);
        lastActivity = Math.max(lastActivity, start);
        return true;
    }

    BudgetSnapshot snapshot(long nowMillis) {
        if (nowMillis >= windowEnd) open(period, nowMillis);
        return new BudgetSnapshot(scope, period, windowStart(), resetAt(), spentNanos, spentTokens, reservedNanos,
                reservedTokens, Optional.ofNullable(limit));
    }

    /**
     * Idle for two windows with nothing reserved: forgetting it loses nothing the database cannot
     * give back. A budget that never resets is never forgotten.
     */
    boolean idle(long nowMillis) {
        return windowEnd != Long.MAX_VALUE && outstanding == 0 && nowMillis - lastActivity > 2 * (windowEnd - windowStart);
    }

    /** Moves to the window that holds {@code nowMillis} under {@code period}. */
    private void follow(BudgetPeriod period, long nowMillis) {
        if (period != this.period) {
            open(period, nowMillis);
            spendUnknown.set(true); // spend since the new period's start may predate this window
        } else if (nowMillis >= windowEnd) {
            open(period, nowMillis); // the previous window was counted here: the new one starts from zero
        }
    }

    private void open(BudgetPeriod period, long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        this.period = period;
        windowStart = period.windowStart(now, zone).toEpochMilli();
        windowEnd = period.resetAt(now, zone).map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
        generation++;
        spentNanos = spentTokens = reservedNanos = reservedTokens = 0;
        outstanding = 0;
        usdAlerted = tokensAlerted = 0;
        alertsBaselined = true;
    }

    private Optional<Instant> resetAt() {
        return windowEnd == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(windowEnd));
    }
}
