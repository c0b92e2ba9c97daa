package dev.gantry.catalog;

import java.time.Duration;

/**
 * How long to wait on an upstream. {@code read} bounds both the wait for the response headers and
 * any silence between two chunks of a stream: a generating model that goes quiet that long is
 * taken as hung.
 */
public record Timeouts(Duration connect, Duration read) {
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(600));
}
