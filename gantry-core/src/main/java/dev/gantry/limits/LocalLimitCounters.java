package dev.gantry.limits;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate-limit counters in this process's memory: exact for one replica.
 *
 * <p>Design: one {@link ScopeRate} per scope in a {@link ConcurrentHashMap}, each guarded by its
 * own monitor, held for a few comparisons and additions; no lock spans two scopes. Check and count
 * happen under one monitor, so a burst from every event loop at once admits exactly {@code rpm}
 * requests into an empty window and never more than {@code max_parallel} at a time. A request is
 * counted on its scopes one after another; when one refuses, those already counted are taken back,
 * so that a refused request uses nothing. A request racing with a refused one may see its counts
 * for that instant and be refused too, only at a limit's edge.
 */
public final class LocalLimitCounters implements LimitCounters {
    private final ConcurrentHashMap<Scope, ScopeRate> rates = new ConcurrentHashMap<>();

    @Override
    public RateDecision admit(List<RateLimit> limits, long tokenEstimate, long nowMillis) {
        if (tokenEstimate < 0) throw new IllegalArgumentException("negative token estimate: " + tokenEstimate);
        int n = limits.size();
        if (n == 0) return LocalAdmission.UNLIMITED;
        ScopeRate[] held = new ScopeRate[n];
        long[] minutes = new long[n];
        var status = new TightestStatus();
        for (int i = 0; i < n; i++) {
            RateLimit limit = limits.get(i);
            ScopeRate rate;
            int outcome;
            long retryAfterMillis = 0;
            while (true) { // again if a sweep retired the scope's counters between lookup and lock
                rate = rateOf(limit.scope(), nowMillis);
                synchronized (rate) {
                    if (!rate.retired()) {
                        outcome = rate.tryAdmit(limit, tokenEstimate, nowMillis);
                        if (outcome == ScopeRate.ADMITTED) minutes[i] = rate.minute();
                        else retryAfterMillis = rate.retryAfterMillis(outcome, limit, tokenEstimate, nowMillis);
                        rate.report(limit, status, nowMillis);
                        break;
                    }
                }
            }
            if (outcome != ScopeRate.ADMITTED) {
                for (int j = 0; j < i; j++) {
                    synchronized (held[j]) {
                        held[j].undo(minutes[j], tokenEstimate);
                    }
                }
                return new RateLimited(limit, kind(outcome), Duration.ofMillis(retryAfterMillis), status.build());
            }
            held[i] = rate;
        }
        return new LocalAdmission(held, minutes, tokenEstimate, status.build());
    }

    @Override
    public void release(Admission admission, long actualTokens, long nowMillis) {
        if (!(admission instanceof LocalAdmission local)) {
            throw new IllegalArgumentException("not admitted by these counters: " + admission);
        }
        if (!local.claimRelease()) return;
        for (int i = 0; i < local.rates.length; i++) {
            synchronized (local.rates[i]) {
                local.rates[i].release(local.minutes[i], local.tokenEstimate(), actualTokens, nowMillis);
            }
        }
    }

    @Override
    public void sweep(long nowMillis) {
        for (ScopeRate rate : rates.values()) {
            synchronized (rate) {
                if (rate.idle(nowMillis)) {
                    rate.retire();
                    rates.remove(rate.scope, rate);
                }
            }
        }
    }

    /** How many scopes have counters now. */
    int trackedScopes() { return rates.size(); }

    private ScopeRate rateOf(Scope scope, long nowMillis) {
        ScopeRate rate = rates.get(scope);
        return rate != null ? rate : rates.computeIfAbsent(scope, s -> new ScopeRate(s, nowMillis));
    }

    private static RateLimited.Kind kind(int refusal) {
        return switch (refusal) {
            case ScopeRate.OVER_REQUESTS -> RateLimited.Kind.REQUESTS;
            case ScopeRate.OVER_TOKENS -> RateLimited.Kind.TOKENS;
            default -> RateLimited.Kind.PARALLEL;
        };
    }
}
