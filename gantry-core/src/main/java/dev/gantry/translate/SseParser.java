package dev.gantry.translate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream into server-sent events as it arrives (the WHATWG event-stream rules that
 * matter here): events end at a blank line; {@code \n}, {@code \r\n} and {@code \r} all end a
 * line; {@code data:} lines accumulate; comment lines ({@code :ping}) and unknown fields are
 * skipped. An event split across chunks is kept until its end arrives. Not thread-safe.
 */
public final class SseParser {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private String event;
    private StringBuilder data;
    private boolean lastWasCr;

    /** The complete events in this chunk (plus what earlier chunks left incomplete). */
    public List<SseEvent> feed(byte[] chunk) {
        var events = new ArrayList<SseEvent>(2);
        for (byte b : chunk) {
            if (b == '\n' && lastWasCr) { // the \n of a \r\n pair: the line already ended at \r
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                endLine(events);
            } else {
                line.write(b);
            }
        }
        return events;
    }

    /** An event left without its closing blank line when the stream ended, if any. */
    public List<SseEvent> finish() {
        var events = new ArrayList<SseEvent>(1);
        if (line.size() > 0) endLine(events);
        if (data != null) events.add(new SseEvent(event, data.toString()));
        event = null;
        data = null;
        return events;
    }

    private void endLine(List<SseEvent> events) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            if (data != null) events.add(new SseEvent(event, data.toString()));
            event = null;
            data = null;
            return;
        }
        if (text.startsWith(":")) return;
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
        }
    }
}
