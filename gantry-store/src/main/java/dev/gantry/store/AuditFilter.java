package dev.gantry.store;

import java.time.Instant;

/**
 * Which audit entries a listing returns; a null field matches every entry.
 *
 * @param action exact, e.g. {@code key.revoke}; use {@code targetType} for every action on a kind of target
 * @param from   entries at or after this time
 * @param to     entries before this time
 */
public record AuditFilter(String actorId, String action, String targetType, String targetId, Instant from, Instant to) {
    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);
}
