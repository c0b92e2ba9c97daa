package dev.gantry.limits;

import dev.gantry.identity.Quota;
import java.util.Objects;
import java.util.Optional;

/**
 * Rate limits on one scope. Zero means no limit of that kind.
 *
 * @param rpm         requests per minute (sliding window)
 * @param tpm         tokens per minute (sliding window), counted as reserved then corrected to real use
 * @param maxParallel requests in flight at once
 */
public record RateLimit(Scope scope, long rpm, long tpm, int maxParallel) {
    /**
     * Keeps the window arithmetic ({@code limit x 60,000} in {@code long}) far from overflow;
     * a trillion tokens a minute is no limit at all.
     */
    static final long MAX_PER_MINUTE = 1_000_000_000_000L;

    public RateLimit {
        Objects.requireNonNull(scope, "scope");
        if (rpm < 0 || rpm > MAX_PER_MINUTE) throw new IllegalArgumentException("rpm out of range: " + rpm);
        if (tpm < 0 || tpm > MAX_PER_MINUTE) throw new IllegalArgumentException("tpm out of range: " + tpm);
        if (maxParallel < 0) throw new IllegalArgumentException("maxParallel must not be negative: " + maxParallel);
    }

    /**
     * The limits a key, user or team carries, if any. A stored 0 limits nothing, as here; to stop a
     * key, suspend or revoke it.
     */
    public static Optional<RateLimit> from(Scope scope, Quota quota) {
        long rpm = quota.rpm() == null ? 0 : quota.rpm();
        long tpm = quota.tpm() == null ? 0 : quota.tpm();
        int maxParallel = quota.maxParallel() == null ? 0 : quota.maxParallel();
        if (rpm == 0 && tpm == 0 && maxParallel == 0) return Optional.empty();
        return Optional.of(new RateLimit(scope, rpm, tpm, maxParallel));
    }
}
