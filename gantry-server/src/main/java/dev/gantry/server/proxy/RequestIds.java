package dev.gantry.server.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: {@code req_}, the time in milliseconds as 12 hex digits, then 64 random bits in hex.
 * The time first makes ids sort by creation, so that the usage ledger's primary key grows at its
 * right edge instead of touching pages all over its B-tree with every batch (the same idea as
 * UUIDv7); the random part keeps them unique across event loops and replicas.
 */
final class RequestIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {}

    static String next() {
        long millis = System.currentTimeMillis();
        long random = ThreadLocalRandom.current().nextLong();
        char[] out = new char[4 + 12 + 16];
        "req_".getChars(0, 4, out, 0);
        for (int i = 0; i < 12; i++) out[4 + i] = HEX[(int) (millis >>> (44 - 4 * i)) & 0xf];
        for (int i = 0; i < 16; i++) out[16 + i] = HEX[(int) (random >>> (60 - 4 * i)) & 0xf];
        return new String(out);
    }
}
