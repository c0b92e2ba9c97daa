package dev.gantry.auth;

import java.time.Instant;
import java.util.List;

/**
 * A virtual key as stored: never the secret itself, only its hash and a short prefix to recognise
 * it by in lists.
 *
 * @param models  model-name patterns this key may call ({@code *} matches any run of characters);
 *                empty means every model
 */
public record ApiKey(String id, String name, String hash, String displayPrefix, Role role, List<String> models,
                     Instant createdAt, Instant expiresAt, Instant revokedAt) {
    public ApiKey {
        models = List.copyOf(models);
    }

    public boolean isUsableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    public boolean allowsModel(String model) {
        if (models.isEmpty()) return true;
        for (String pattern : models) if (Glob.matches(pattern, model)) return true;
        return false;
    }
}
