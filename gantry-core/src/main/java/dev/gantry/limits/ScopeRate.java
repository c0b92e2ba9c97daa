package dev.gantry.limits;

/**
 * One scope's rate counters: requests and tokens in the current and the previous wall-clock minute,
 * and requests in flight. Not thread-safe by itself: {@link LocalLimitCounters} holds this object's
 * monitor around every call, so that checking and counting are one step.
 *
 * <p>The sliding window is the usual two-bucket approximation: the count over the last minute is
 * the current bucket plus the previous one weighted by the part of it still inside the window,
 * {@code previous x (W - elapsed) / W + current}. Comparisons multiply through by {@code W} to stay
 * in exact integers.
 */
final class ScopeRate {
    static final long WINDOW_MILLIS = 60_000;
    /** What {@link #tryAdmit} returns. */
    static final int ADMITTED = 0, OVER_REQUESTS = 1, OVER_TOKENS = 2, OVER_PARALLEL = 3;
    /** No count predicts when a parallel slot frees up; a second is a polite guess. */
    private static final long PARALLEL_RETRY_MILLIS = 1_000;

    final Scope scope;
    /** The current bucket: epoch millis / WINDOW_MILLIS. */
    private long minute;
    private long requests, previousRequests, tokens, previousTokens;
    private int inFlight;
    private long lastActivity;
    private boolean retired;

    ScopeRate(Scope scope, long nowMillis) {
        this.scope = scope;
        this.minute = nowMillis / WINDOW_MILLIS;
        this.lastActivity = nowMillis;
    }

    /** Taken out of the map by a sweep: callers look the scope up again. */
    boolean retired() { return retired; }

    void retire() { retired = true; }

    long minute() { return minute; }

    int tryAdmit(RateLimit limit, long tokenEstimate, long nowMillis) {
        advance(nowMillis);
        lastActivity = nowMillis;
        long elapsed = elapsed(nowMillis);
        if (limit.rpm() > 0 && !fits(previousRequests, requests, limit.rpm(), 1, elapsed)) return OVER_REQUESTS;
        if (limit.tpm() > 0 && !fits(previousTokens, tokens, limit.tpm(), tokenEstimate, elapsed)) return OVER_TOKENS;
        if (limit.maxParallel() > 0 && inFlight >= limit.maxParallel()) return OVER_PARALLEL;
        requests++;
        tokens += tokenEstimate;
        inFlight++;
        return ADMITTED;
    }

    /** Takes back an admission made in bucket {@code admittedMinute} that will not be released. */
    void undo(long admittedMinute, long tokenEstimate) {
        inFlight--;
        correct(admittedMinute, -1, -tokenEstimate);
    }

    /** Frees the slot and replaces the admission's token estimate by the tokens really used. */
    void release(long admittedMinute, long tokenEstimate, long actualTokens, long nowMillis) {
        inFlight--;
        lastActivity = nowMillis;
        correct(admittedMinute, 0, actualTokens - tokenEstimate);
    }

    /** Adjusts the bucket the admission was counted in, if it is still in the window. */
    private void correct(long admittedMinute, long requestDelta, long tokenDelta) {
        if (admittedMinute == minute) {
            requests = Math.max(0, requests + requestDelta);
            tokens = Math.max(0, tokens + tokenDelta);
        } else if (admittedMinute == minute - 1) {
            previousRequests = Math.max(0, previousRequests + requestDelta);
            previousTokens = Math.max(0, previousTokens + tokenDelta);
        }
    }

    /** How long until a refused request would fit, if nothing else were admitted meanwhile. */
    long retryAfterMillis(int refusal, RateLimit limit, long tokenEstimate, long nowMillis) {
        long elapsed = elapsed(nowMillis);
        long wait = switch (refusal) {
            case OVER_REQUESTS -> waitMillis(previousRequests, requests, limit.rpm(), 1, elapsed);
            case OVER_TOKENS -> waitMillis(previousTokens, tokens, limit.tpm(), tokenEstimate, elapsed);
            default -> PARALLEL_RETRY_MILLIS;
        };
        return Math.max(1, wait);
    }

    /** Offers this scope's remaining requests and tokens (after any admission just made) to {@code status}. */
    void report(RateLimit limit, TightestStatus status, long nowMillis) {
        long elapsed = elapsed(nowMillis);
        if (limit.rpm() > 0) {
            status.offerRequests(limit.rpm(), remaining(previousRequests, requests, limit.rpm(), elapsed),
                    untilEmpty(previousRequests, requests, elapsed));
        }
        if (limit.tpm() > 0) {
            status.offerTokens(limit.tpm(), remaining(previousTokens, tokens, limit.tpm(), elapsed),
                    untilEmpty(previousTokens, tokens, elapsed));
        }
    }

    /** Nothing in flight and nothing counted in the last two minutes. */
    boolean idle(long nowMillis) {
        return inFlight == 0 && nowMillis - lastActivity >= 2 * WINDOW_MILLIS;
    }

    private void advance(long nowMillis) {
        long now = nowMillis / WINDOW_MILLIS;
        if (now <= minute) return; // another thread's clock read may trail: count it in the current bucket
        if (now == minute + 1) {
            previousRequests = requests;
            previousTokens = tokens;
        } else {
            previousRequests = 0;
            previousTokens = 0;
        }
        requests = 0;
        tokens = 0;
        minute = now;
    }

    private long elapsed(long nowMillis) {
        return Math.clamp(nowMillis - minute * WINDOW_MILLIS, 0, WINDOW_MILLIS - 1);
    }

    /** Whether {@code need} more fits: {@code previous x (W - elapsed) + (current + need) x W <= limit x W}. */
    private static boolean fits(long previous, long current, long limit, long need, long elapsed) {
        return need <= limit && previous * (WINDOW_MILLIS - elapsed) + (current + need) * WINDOW_MILLIS <= limit * WINDOW_MILLIS;
    }

    /** The most that would fit now. */
    private static long remaining(long previous, long current, long limit, long elapsed) {
        long room = limit * WINDOW_MILLIS - previous * (WINDOW_MILLIS - elapsed) - current * WINDOW_MILLIS;
        return room <= 0 ? 0 : room / WINDOW_MILLIS;
    }

    /** Until both buckets have left the window: the current one does so at the end of the next minute. */
    private static long untilEmpty(long previous, long current, long elapsed) {
        if (current > 0) return 2 * WINDOW_MILLIS - elapsed;
        return previous > 0 ? WINDOW_MILLIS - elapsed : 0;
    }

    /**
     * The least wait after which {@code need} fits, assuming no other admissions: within this minute
     * as the previous bucket's weight shrinks, or else in the next one, once this bucket has become
     * the previous one.
     */
    private static long waitMillis(long previous, long current, long limit, long need, long elapsed) {
        if (need > limit) return WINDOW_MILLIS; // never fits; a minute keeps clients from hammering
        if (current + need <= limit) {
            if (previous == 0) return 0;
            // previous x (W - e) <= (limit - current - need) x W  <=>  e >= W - floor(slack / previous)
            long fitsAt = WINDOW_MILLIS - (limit - current - need) * WINDOW_MILLIS / previous;
            return Math.max(0, fitsAt - elapsed);
        }
        long fitsAtNext = WINDOW_MILLIS - (limit - need) * WINDOW_MILLIS / current;
        return WINDOW_MILLIS - elapsed + Math.max(0, fitsAtNext);
    }
}
