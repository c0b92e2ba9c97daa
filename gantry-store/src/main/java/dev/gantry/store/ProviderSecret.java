package dev.gantry.store;

import java.time.Instant;

/**
 * A provider's API key as stored: encrypted with {@code dev.gantry.crypto.SecretCipher}, never in
 * plain text.
 */
public record ProviderSecret(String provider, String ciphertext, Instant updatedAt) {}
