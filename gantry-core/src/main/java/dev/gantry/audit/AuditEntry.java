package dev.gantry.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One link of the audit chain: an {@link AuditEvent} with its place ({@code seq}, from 1) and the
 * hashes that tie it to the entry before. See {@link AuditChain}.
 */
public record AuditEntry(long seq, Instant at, String actorId, String actorName, String action, String targetType,
                         String targetId, String beforeJson, String afterJson, String address, String prevHash,
                         String hash) {
    public AuditEntry {
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** The entry that follows {@code prevHash} at {@code seq}, its hash computed. */
    public static AuditEntry link(long seq, AuditEvent e, String prevHash) {
        return new AuditEntry(seq, e.at(), e.actorId(), e.actorName(), e.action(), e.targetType(), e.targetId(),
                e.beforeJson(), e.afterJson(), e.address(), prevHash, AuditChain.hash(prevHash, seq, e));
    }

    public AuditEvent event() {
        return new AuditEvent(at, actorId, actorName, action, targetType, targetId, beforeJson, afterJson, address);
    }
}
