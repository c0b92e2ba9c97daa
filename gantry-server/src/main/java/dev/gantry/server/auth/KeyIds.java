package dev.gantry.server.auth;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Public key ids ({@code key_} + 64 random bits): safe to show, log and put in URLs. */
public final class KeyIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyIds() {}

    public static String next() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "key_" + HexFormat.of().formatHex(bytes);
    }
}
