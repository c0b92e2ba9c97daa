package dev.gantry.identity;

import java.security.SecureRandom;

/**
 * Public ids of users ({@code usr_}) and teams ({@code team_}): a prefix that says what the id
 * names, then 80 random bits as 16 lower-case Crockford base32 characters (no i, l, o, u to
 * misread). Safe to show, log and put in URLs.
 */
public final class Ids {
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String user() { return next("usr_"); }

    public static String team() { return next("team_"); }

    private static String next(String prefix) {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        var out = new StringBuilder(prefix.length() + 16).append(prefix);
        long bits = 0;
        int held = 0;
        for (byte b : bytes) {
            bits = (bits << 8) | (b & 0xff);
            held += 8;
            while (held >= 5) {
                held -= 5;
                out.append(BASE32[(int) (bits >>> held) & 31]);
            }
        }
        return out.toString();
    }
}
