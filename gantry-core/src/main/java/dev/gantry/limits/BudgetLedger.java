package dev.gantry.limits;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Budgets enforced in memory on the request path: each request reserves its worst case on every
 * budget that applies (key, user, team, organisation), or on none, and settles the real cost when
 * it ends.
 *
 * <p>Design: one {@link ScopeSpend} per scope in a {@link ConcurrentHashMap}, each guarded by its
 * own monitor, held only for a few additions and comparisons; no lock spans two scopes. The check
 * {@code spent + reserved + worst case <= limit} and the reservation happen under the same monitor,
 * so however many requests race on one budget, spent plus reserved never exceeds it: a budget is
 * overrun only by what settled requests cost beyond their worst case. A request is reserved on its
 * scopes one after another, in the order given; when one refuses, those already reserved are given
 * back. So "all or none" holds for the outcome, while a request racing with one that is refused may
 * briefly see that one's reservation and be refused too, only when a budget is nearly spent anyway.
 *
 * <p>Windows: a scope's window moves on lazily, when a request, a settle or a snapshot finds the
 * period boundary passed; spend starts again from zero. A request counts in the window it was
 * reserved in, like its usage row (stamped when the request started), so that a restart loading
 * spend from the database agrees with what was counted: one settled after the boundary adds
 * nothing to the new window. A request that started just before the boundary is therefore not
 * held against the new window either.
 *
 * <p>Spend from before the process started comes from {@link #loadSpent}; the ledger asks for it
 * through {@link BudgetListener#spendUnknown} when it starts counting a scope it has not loaded.
 */
public final class BudgetLedger {
    /** Thresholds are bits of an int per scope and unit. */
    private static final int MAX_THRESHOLDS = 31;

    private final ConcurrentHashMap<Scope, ScopeSpend> spends = new ConcurrentHashMap<>();
    private final ZoneId zone;
    private final int[] alertPercents;
    private final BudgetListener listener;

    /**
     * @param zone          where days, weeks and months begin ({@code governance.time_zone})
     * @param alertPercents spend thresholds reported once per window, e.g. 50, 80, 100
     */
    public BudgetLedger(ZoneId zone, List<Integer> alertPercents, BudgetListener listener) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (alertPercents.size() > MAX_THRESHOLDS) throw new IllegalArgumentException("at most " + MAX_THRESHOLDS + " alert thresholds");
        this.alertPercents = alertPercents.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        for (int p : this.alertPercents) {
            if (p <= 0) throw new IllegalArgumentException("alert threshold must be positive: " + p);
        }
    }

    /** The start of the window holding {@code now}: from when to sum usage for {@link #loadSpent}. */
    /** Where days, weeks and months begin for this ledger. */
    public ZoneId zone() { return zone; }

    public Instant windowStart(BudgetPeriod period, Instant now) {
        return period.windowStart(now, zone);
    }

    /**
     * Reserves a request's worst case on every budget in {@code limits} (one per scope), or on none.
     *
     * @return a {@link Reservation} to settle when the request ends, or a {@link BudgetRefusal}
     *         naming the first budget, in the order given, that has no room
     */
    public BudgetDecision reserve(List<BudgetLimit> limits, long worstCostNanos, long worstTokens, Instant now) {
        if (worstCostNanos < 0 || worstTokens < 0) throw new IllegalArgumentException("negative worst case");
        int n = limits.size();
        if (n == 0) return Reservation.NONE;
        long nowMillis = now.toEpochMilli();
        ScopeSpend[] held = new ScopeSpend[n];
        long[] generations = new long[n];
        for (int i = 0; i < n; i++) {
            BudgetLimit limit = limits.get(i);
            ScopeSpend spend;
            long generation;
            BudgetRefusal refusal = null;
            while (true) { // again if a sweep retired the scope's state between lookup and lock
                spend = spendOf(limit.scope(), limit.period(), nowMillis);
                synchronized (spend) {
                    if (!spend.retired()) {
                        generation = spend.reserve(limit, worstCostNanos, worstTokens, nowMillis);
                        if (generation < 0) refusal = spend.refusal(limit, generation, worstCostNanos, worstTokens);
                        break;
                    }
                }
            }
            reportIfUnknown(spend);
            if (refusal != null) {
                for (int j = 0; j < i; j++) {
                    synchronized (held[j]) {
                        held[j].unreserve(generations[j], worstCostNanos, worstTokens);
                    }
                }
                return refusal;
            }
            held[i] = spend;
            generations[i] = generation;
        }
        return new Reservation(limits, held, generations, worstCostNanos, worstTokens);
    }

    /**
     * Replaces a reservation by what the request really cost: 0 for a request that failed. Reports
     * the alert thresholds this crosses.
     */
    public void settle(Reservation reservation, long actualCostNanos, long actualTokens, Instant now) {
        if (!reservation.claimSettle()) return;
        long nowMillis = now.toEpochMilli();
        ScopeSpend[] spends = reservation.spends;
        for (int i = 0; i < spends.length; i++) {
            BudgetAlert[] alerts;
            synchronized (spends[i]) {
                alerts = spends[i].settle(reservation.generations[i], reservation.limits.get(i), reservation.worstCostNanos(),
                        reservation.worstTokens(), actualCostNanos, actualTokens, nowMillis, alertPercents);
            }
            if (alerts != null) {
                for (BudgetAlert alert : alerts) listener.thresholdCrossed(alert);
            }
        }
    }

    /**
     * Seeds a scope's window with the spend the database holds for it, at start-up or when
     * {@link BudgetListener#spendUnknown} asks. Where the ledger has counted part of the same window,
     * the larger figure wins (both count the same requests). Thresholds the loaded spend already
     * reached are not reported again. A load for another period than the scope's switches it to that
     * period.
     *
     * @param windowStart the start of the window summed, as {@link #windowStart} gives it
     * @return false when the scope has moved on to a later window and the load was ignored
     */
    public boolean loadSpent(Scope scope, BudgetPeriod period, Instant windowStart, long costNanos, long tokens) {
        if (!period.windowStart(windowStart, zone).equals(windowStart)) {
            throw new IllegalArgumentException(windowStart + " does not start a " + period.dbName() + " window in " + zone);
        }
        long start = windowStart.toEpochMilli();
        while (true) {
            ScopeSpend spend = spends.computeIfAbsent(scope, s -> new ScopeSpend(s, zone, period, start));
            synchronized (spend) {
                if (!spend.retired()) return spend.load(period, start, costNanos, tokens);
            }
        }
    }

    /** The scope's current window, if the ledger counts it. */
    public Optional<BudgetSnapshot> snapshot(Scope scope, Instant now) {
        ScopeSpend spend = spends.get(scope);
        if (spend == null) return Optional.empty();
        synchronized (spend) {
            return spend.retired() ? Optional.empty() : Optional.of(spend.snapshot(now.toEpochMilli()));
        }
    }

    /**
     * Forgets scopes idle for more than two of their windows with nothing reserved, so that deleted
     * keys do not stay in memory. Walks every scope: call it from a timer, not per request.
     */
    public void sweep(Instant now) {
        long nowMillis = now.toEpochMilli();
        for (ScopeSpend spend : spends.values()) {
            synchronized (spend) {
                if (spend.idle(nowMillis)) {
                    spend.retire();
                    spends.remove(spend.scope, spend);
                }
            }
        }
    }

    private ScopeSpend spendOf(Scope scope, BudgetPeriod period, long nowMillis) {
        ScopeSpend spend = spends.get(scope);
        if (spend != null) return spend;
        return spends.computeIfAbsent(scope, s -> {
            ScopeSpend created = new ScopeSpend(s, zone, period, nowMillis);
            created.spendUnknown.set(true);
            return created;
        });
    }

    private void reportIfUnknown(ScopeSpend spend) {
        if (!spend.spendUnknown.get() || !spend.spendUnknown.compareAndSet(true, false)) return;
        BudgetPeriod period;
        Instant start;
        synchronized (spend) {
            period = spend.period();
            start = spend.windowStart();
        }
        listener.spendUnknown(spend.scope, period, start);
    }
}
