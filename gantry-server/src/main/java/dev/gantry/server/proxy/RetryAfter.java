package dev.gantry.server.proxy;

import java.time.Duration;

/** Reads a {@code retry-after} header given in seconds (the form model APIs use); one second otherwise. */
final class RetryAfter {
    static final Duration DEFAULT = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofMinutes(10);

    private RetryAfter() {}

    static Duration parse(String header) {
        if (header == null) return DEFAULT;
        try {
            double seconds = Double.parseDouble(header.trim());
            if (Double.isNaN(seconds) || seconds < 0) return DEFAULT;
            Duration d = Duration.ofMillis((long) (seconds * 1000));
            return d.compareTo(MAX) > 0 ? MAX : d;
        } catch (NumberFormatException e) {
            return DEFAULT; // an HTTP date: rare from model APIs
        }
    }
}
