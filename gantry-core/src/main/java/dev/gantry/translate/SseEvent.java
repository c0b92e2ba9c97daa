package dev.gantry.translate;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event: its {@code event:} name (null when absent, as in OpenAI's streams) and
 * its {@code data:} payload (lines joined with '\n').
 */
public record SseEvent(String event, String data) {

    /** The wire form: {@code event: NAME\ndata: DATA\n\n}, or just the data line without a name. */
    public byte[] toBytes() {
        String wire = event == null ? "data: " + data + "\n\n" : "event: " + event + "\ndata: " + data + "\n\n";
        return wire.getBytes(StandardCharsets.UTF_8);
    }

    public static SseEvent data(String data) { return new SseEvent(null, data); }

    public static SseEvent named(String event, String data) { return new SseEvent(event, data); }
}
