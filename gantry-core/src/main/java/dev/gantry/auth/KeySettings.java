package dev.gantry.auth;

import dev.gantry.identity.Quota;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of a key its owner or an admin may change after creating it. The secret changes only
 * by rotation; the user and role never.
 */
public record KeySettings(String name, List<String> models, Instant expiresAt, String teamId,
                          Map<String, String> metadata, Quota quota) {
    public KeySettings {
        Objects.requireNonNull(name, "name");
        models = List.copyOf(models);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        quota = Objects.requireNonNullElse(quota, Quota.NONE);
    }
}
