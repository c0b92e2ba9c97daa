package dev.gantry.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes and hashes key secrets. A secret is {@code sk-gantry-} followed by 32 random bytes in
 * base64url. With that much entropy a fast hash (SHA-256) is as safe as a slow one and costs a
 * microsecond on the request path, so keys are looked up by their hash.
 */
public final class KeySecrets {
    public static final String PREFIX = "sk-gantry-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

    private KeySecrets() {}

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        return HexFormat.of().formatHex(SHA256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** What lists show of a key: enough to tell keys apart, far too little to use. */
    public static String displayPrefix(String secret) {
        // six of 43 random characters for generated keys; a chosen secret (GANTRY_ADMIN_KEY) may be
        // short and guessable, so only its first four characters
        int shown = looksGenerated(secret) ? PREFIX.length() + 6 : Math.min(4, secret.length() / 5);
        return secret.substring(0, shown) + "...";
    }

    /** Whether {@code secret} has the shape of a key made by {@link #newSecret}. */
    public static boolean looksGenerated(String secret) {
        return secret.length() == PREFIX.length() + 43 && secret.startsWith(PREFIX);
    }
}
