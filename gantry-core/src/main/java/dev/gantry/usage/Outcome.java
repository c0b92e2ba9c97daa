package dev.gantry.usage;

/** How a request ended, as recorded in its usage row. */
public enum Outcome {
    /** The client got a complete answer. */
    OK,
    /** The gateway or the upstream answered with an error before any content. */
    ERROR,
    /** The client went away before the answer was complete; the upstream request was cancelled. */
    CANCELLED,
    /** The upstream failed after the stream had started; the client got an error event. */
    STREAM_CUT;

    private final String dbName = name().toLowerCase(java.util.Locale.ROOT);

    public String dbName() { return dbName; }
}
