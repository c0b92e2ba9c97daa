package dev.gantry.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Something an administrator did, before it takes its place in the chain.
 *
 * @param at         when; kept to the microsecond, as the databases store it, so that the hash
 *                   computed before storing matches the one recomputed after reading
 * @param actorId    the user (or, for keys without a user, the key) that acted; null for the gateway itself
 * @param action     what was done, {@code noun.verb}, e.g. {@code key.create}
 * @param beforeJson the target before, as JSON with secrets and hashes removed; null if it did not exist
 * @param afterJson  the target after, likewise; null if it no longer exists
 * @param address    the caller's network address
 */
public record AuditEvent(Instant at, String actorId, String actorName, String action, String targetType,
                         String targetId, String beforeJson, String afterJson, String address) {
    public AuditEvent {
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(action, "action");
    }
}
