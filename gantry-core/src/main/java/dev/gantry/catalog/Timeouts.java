package dev.gantry.catalog;

import java.time.Duration;

/**
 * How long to wait on an upstream.
 *
 * @param connect     to open a connection
 * @param firstToken  from sending the request to the first byte of the answer (a reasoning model
 *                    may think for minutes before it)
 * @param idle        between two chunks of a stream: a generating model silent that long is hung
 * @param total       for the whole answer; {@link Duration#ZERO} for no limit
 */
public record Timeouts(Duration connect, Duration firstToken, Duration idle, Duration total) {
    public static final Timeouts DEFAULT =
            new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(120), Duration.ZERO);
}
