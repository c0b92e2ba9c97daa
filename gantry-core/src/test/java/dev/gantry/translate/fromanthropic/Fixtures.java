package dev.gantry.translate.fromanthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.translate.SseEvent;
import dev.gantry.translate.SseParser;
import dev.gantry.translate.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Golden files, JSON and SSE helpers, and a strict Anthropic stream reader for the tests. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHUNK_HEAD = "\"id\":\"chatcmpl-77\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"m\"";

    private Fixtures() {}

    static byte[] resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/translate/fromanthropic/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        return json(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One upstream chunk event for choice 0 with this delta (JSON) and finish reason (or null). */
    static String chunk(String delta, String finishReason) {
        String finish = finishReason == null ? "null" : "\"" + finishReason + "\"";
        return "data: {" + CHUNK_HEAD + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    static String usageChunk(int prompt, int completion) {
        return "data: {" + CHUNK_HEAD + ",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt
                + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}}\n\n";
    }

    static final String DONE = "data: [DONE]\n\n";

    // ---- Anthropic stream ----

    record Event(String name, JsonNode data) {
        String type() { return data.path("type").asText(); }
    }

    static List<Event> events(byte[] sse) {
        var parser = new SseParser();
        var raw = new ArrayList<>(parser.feed(sse));
        raw.addAll(parser.finish());
        var events = new ArrayList<Event>();
        for (SseEvent e : raw) {
            JsonNode data = json(e.data());
            assertThat(e.event()).as("event name matches data.type").isEqualTo(data.path("type").asText());
            events.add(new Event(e.event(), data));
        }
        return events;
    }

    static List<String> types(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    /** Feeds the whole upstream stream in one chunk and ends it. */
    static byte[] translate(StreamTranslator t, byte[] upstream) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(t.feed(upstream));
        out.writeBytes(t.end());
        return out.toByteArray();
    }

    static byte[] translate(StreamTranslator t, String upstream) {
        return translate(t, bytes(upstream));
    }

    /**
     * Rebuilds the message from the events as the Anthropic SDKs do, and fails on anything a
     * strict client would reject: events before message_start or after message_stop, a delta for
     * a block that is not open, a block started while another is open, a delta of the wrong kind.
     * Tool inputs are the concatenated partial_json, parsed (or the raw text when it does not parse).
     */
    static ObjectNode message(List<Event> events) {
        assertThat(events).isNotEmpty();
        assertThat(events.getFirst().type()).isEqualTo("message_start");
        assertThat(events.getLast().type()).isEqualTo("message_stop");
        ObjectNode message = events.getFirst().data().get("message").deepCopy();
        ArrayNode content = (ArrayNode) message.get("content");
        int open = -1;
        StringBuilder partial = null;
        boolean delta = false;
        for (Event e : events.subList(1, events.size() - 1)) {
            JsonNode d = e.data();
            switch (e.type()) {
                case "ping" -> { }
                case "content_block_start" -> {
                    assertThat(open).as("no block open at a start").isEqualTo(-1);
                    assertThat(delta).as("no block after message_delta").isFalse();
                    assertThat(d.get("index").asInt()).isEqualTo(content.size());
                    open = d.get("index").asInt();
                    content.add(d.get("content_block").deepCopy());
                    partial = new StringBuilder();
                }
                case "content_block_delta" -> {
                    assertThat(d.get("index").asInt()).as("delta for the open block").isEqualTo(open);
                    ObjectNode block = (ObjectNode) content.get(open);
                    JsonNode x = d.get("delta");
                    switch (x.get("type").asText()) {
                        case "text_delta" -> {
                            assertThat(block.get("type").asText()).isEqualTo("text");
                            block.put("text", block.get("text").asText() + x.get("text").asText());
                        }
                        case "thinking_delta" -> {
                            assertThat(block.get("type").asText()).isEqualTo("thinking");
                            block.put("thinking", block.get("thinking").asText() + x.get("thinking").asText());
                        }
                        case "input_json_delta" -> {
                            assertThat(block.get("type").asText()).isEqualTo("tool_use");
                            partial.append(x.get("partial_json").asText());
                        }
                        default -> throw new AssertionError("unknown delta " + x);
                    }
                }
                case "content_block_stop" -> {
                    assertThat(d.get("index").asInt()).isEqualTo(open);
                    ObjectNode block = (ObjectNode) content.get(open);
                    if (block.get("type").asText().equals("tool_use") && !partial.isEmpty()) {
                        try {
                            block.set("input", JSON.readTree(partial.toString()));
                        } catch (IOException ex) {
                            block.put("input", partial.toString());
                        }
                    }
                    open = -1;
                }
                case "message_delta" -> {
                    assertThat(open).as("blocks closed before message_delta").isEqualTo(-1);
                    assertThat(delta).as("one message_delta").isFalse();
                    delta = true;
                    message.put("stop_reason", d.path("delta").path("stop_reason").asText(null));
                    message.set("stop_sequence", d.path("delta").path("stop_sequence"));
                    ObjectNode usage = (ObjectNode) message.get("usage");
                    d.get("usage").properties().forEach(f -> usage.set(f.getKey(), f.getValue()));
                }
                default -> throw new AssertionError("unexpected event " + e);
            }
        }
        assertThat(delta).as("message_delta sent").isTrue();
        return message;
    }
}
