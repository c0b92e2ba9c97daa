package dev.gantry.translate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into server-sent events as it arrives (the WHATWG event-stream rules that
 * matter here): events end at a blank line; {@code \n}, {@code \r\n} and {@code \r} all end a
 * line; {@code data:} lines accumulate; comment lines ({@code :ping}) and unknown fields are
 * skipped. An event split across chunks is kept until its end arrives. Not thread-safe.
 */
public final class SseParser {
    /** The line being read: a plain growable array, copied into in runs (per-byte writes were a fifth of a translated stream's CPU). */
    private byte[] line = new byte[256];
    private int lineLength;
    private String event;
    private StringBuilder data;
    private boolean lastWasCr;

    /** The complete events in this chunk (plus what earlier chunks left incomplete). */
    public List<SseEvent> feed(byte[] chunk) {
        var events = new ArrayList<SseEvent>(2);
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            byte b = chunk[i];
            if (b != '\n' && b != '\r') {
                lastWasCr = false;
                continue;
            }
            if (b == '\n' && lastWasCr) { // the \n of a \r\n pair: the line already ended at \r
                lastWasCr = false;
                start = i + 1;
                continue;
            }
            lastWasCr = b == '\r';
            append(chunk, start, i - start);
            endLine(events);
            start = i + 1;
        }
        append(chunk, start, chunk.length - start);
        return events;
    }

    private void append(byte[] bytes, int from, int length) {
        if (length <= 0) return;
        if (lineLength + length > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        System.arraycopy(bytes, from, line, lineLength, length);
        lineLength += length;
    }

    /** An event left without its closing blank line when the stream ended, if any. */
    public List<SseEvent> finish() {
        var events = new ArrayList<SseEvent>(1);
        if (lineLength > 0) endLine(events);
        if (data != null) events.add(new SseEvent(event, data.toString()));
        event = null;
        data = null;
        return events;
    }

    private void endLine(List<SseEvent> events) {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
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
