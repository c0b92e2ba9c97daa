package dev.gantry.auth;

import dev.gantry.identity.Quota;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A virtual key as stored: never the secret itself, only its hash and a short prefix to recognise
 * it by in lists.
 *
 * @param role               what a key without a user may do; a key with a user has its user's authority
 * @param models             model-name patterns this key may call ({@code *} matches any run of
 *                           characters); empty means every model
 * @param userId             the user the key belongs to; null for keys made before users existed
 * @param teamId             the team the key spends for (one of its user's teams), or null
 * @param metadata           free tags for reports and audit, e.g. {@code app -> ci}
 * @param lastUsedAt         when a request last came with this key (written in batches, so late by
 *                           up to a flush interval), or null if never
 * @param previousHash       the hash of the secret this key had before its last rotation, or null
 * @param previousValidUntil until when the previous secret still works
 */
public record ApiKey(String id, String name, String hash, String displayPrefix, Role role, List<String> models,
                     Instant createdAt, Instant expiresAt, Instant revokedAt, String userId, String teamId,
                     Map<String, String> metadata, Instant lastUsedAt, Quota quota, String previousHash,
                     Instant previousValidUntil) {
    public ApiKey {
        models = List.copyOf(models);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        quota = Objects.requireNonNullElse(quota, Quota.NONE);
    }

    /** A key without user, team, tags, limits or previous secret: how keys were before governance. */
    public ApiKey(String id, String name, String hash, String displayPrefix, Role role, List<String> models,
                  Instant createdAt, Instant expiresAt, Instant revokedAt) {
        this(id, name, hash, displayPrefix, role, models, createdAt, expiresAt, revokedAt, null, null, Map.of(), null,
                Quota.NONE, null, null);
    }

    public boolean isUsableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /**
     * Whether a secret with this hash opens the key at {@code now}: the current secret always, the
     * one it replaced in a rotation until {@code previousValidUntil}, so that clients can move to
     * the new secret without an outage. Says nothing about expiry or revocation: see {@link #isUsableAt}.
     */
    public boolean matchesHash(String candidate, Instant now) {
        if (hash.equals(candidate)) return true;
        return previousHash != null && previousHash.equals(candidate)
                && previousValidUntil != null && now.isBefore(previousValidUntil);
    }

    public boolean allowsModel(String model) {
        if (models.isEmpty()) return true;
        for (String pattern : models) if (Glob.matches(pattern, model)) return true;
        return false;
    }

    /** The settings an update may change; everything else is the key's identity or its history. */
    public KeySettings settings() {
        return new KeySettings(name, models, expiresAt, teamId, metadata, quota);
    }

    /** This key with its settings replaced, as {@code KeyRepository.update} stores it. */
    public ApiKey with(KeySettings s) {
        return new ApiKey(id, s.name(), hash, displayPrefix, role, s.models(), createdAt, s.expiresAt(), revokedAt, userId,
                s.teamId(), s.metadata(), lastUsedAt, s.quota(), previousHash, previousValidUntil);
    }
}
