package dev.gantry.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks one whole answer, read in the preflight, against the shape of an Anthropic Messages
 * stream: {@code message_start} first and {@code message_stop} last, each event's name matching
 * its data's {@code type}, a text block opened, filled with one {@code text_delta} per chunk and
 * closed, a {@code message_delta} with a stop reason and output tokens, and nothing of an OpenAI
 * stream ({@code [DONE]}, {@code chat.completion.chunk}). Under load only the end of each stream
 * is checked ({@link Call}); this is where a translated stream is shown to be the real thing.
 */
final class AnthropicStreamCheck {
    private AnthropicStreamCheck() {}

    /** What is wrong with {@code body} as an Anthropic stream of {@code chunks} text deltas; empty if nothing. */
    static List<String> problems(String body, int chunks) {
        List<String> problems = new ArrayList<>();
        if (body.contains("[DONE]") || body.contains("chat.completion.chunk")) problems.add("contains OpenAI stream chunks");
        List<String[]> events = events(body);
        if (events.isEmpty()) {
            problems.add("no events");
            return problems;
        }
        if (!events.getFirst()[0].equals("message_start")) problems.add("first event is " + events.getFirst()[0]);
        if (!events.getLast()[0].equals("message_stop")) problems.add("last event is " + events.getLast()[0]);
        int textDeltas = 0;
        boolean started = false;
        boolean stopped = false;
        String stopReason = null;
        Integer outputTokens = null;
        for (String[] event : events) {
            JsonObject data;
            try {
                data = new JsonObject(event[1]);
            } catch (DecodeException e) {
                problems.add(event[0] + " data is not JSON");
                continue;
            }
            if (!event[0].equals(data.getString("type"))) problems.add("event " + event[0] + " has type " + data.getString("type"));
            switch (event[0]) {
                case "content_block_start" -> started = "text".equals(data.getJsonObject("content_block", new JsonObject()).getString("type"));
                case "content_block_delta" -> {
                    if (!started || stopped) problems.add("a delta outside its block");
                    if ("text_delta".equals(data.getJsonObject("delta", new JsonObject()).getString("type"))) textDeltas++;
                }
                case "content_block_stop" -> stopped = true;
                case "message_delta" -> {
                    stopReason = data.getJsonObject("delta", new JsonObject()).getString("stop_reason");
                    outputTokens = data.getJsonObject("usage", new JsonObject()).getInteger("output_tokens");
                }
                default -> { }
            }
        }
        if (!started || !stopped) problems.add("no text block opened and closed");
        if (textDeltas != chunks) problems.add(textDeltas + " text deltas, not " + chunks);
        if (stopReason == null) problems.add("no stop_reason in message_delta");
        if (outputTokens == null) problems.add("no output_tokens in message_delta");
        return problems;
    }

    /** The events of {@code body} by name, counted, and the stop reason and token counts, in one line. */
    static String summary(String body) {
        Map<String, Integer> counts = new TreeMap<>();
        String end = "";
        for (String[] event : events(body)) {
            counts.merge(event[0], 1, Integer::sum);
            if (event[0].equals("message_delta")) {
                JsonObject data = new JsonObject(event[1]);
                end = ", stop_reason " + data.getJsonObject("delta").getString("stop_reason") + ", usage "
                        + data.getJsonObject("usage");
            }
        }
        return events(body).size() + " events " + counts + end;
    }

    /** {name, data} of each SSE event; an event without {@code event:} line is named "". */
    private static List<String[]> events(String body) {
        List<String[]> out = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            String name = "";
            StringBuilder data = new StringBuilder();
            for (String line : frame.split("\n")) {
                if (line.startsWith("event:")) name = line.substring(6).trim();
                else if (line.startsWith("data:")) data.append(line.substring(5).trim());
            }
            if (!name.isEmpty() || data.length() > 0) out.add(new String[] {name, data.toString()});
        }
        return out;
    }
}
