package dev.gantry.server.proxy;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: {@code req_} and 96 random bits in hex. Unique enough for a ledger key, cheap to make. */
final class RequestIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {}

    static String next() {
        var random = ThreadLocalRandom.current();
        long a = random.nextLong();
        int b = random.nextInt();
        char[] out = new char[4 + 24];
        "req_".getChars(0, 4, out, 0);
        for (int i = 0; i < 16; i++) out[4 + i] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
        for (int i = 0; i < 8; i++) out[20 + i] = HEX[(b >>> (28 - 4 * i)) & 0xf];
        return new String(out);
    }
}
