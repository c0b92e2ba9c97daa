package dev.gantry.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private static final String STREAM = "event: message_start\r\ndata: {\"a\":1}\r\n\r\n"
            + ": ping\n\n"
            + "data: first line\ndata: second line é\n\n"
            + "id: 7\rdata: {\"b\":2}\r\r"
            + "event: done\ndata: [DONE]\n\n";

    private static final List<SseEvent> EXPECTED = List.of(
            new SseEvent("message_start", "{\"a\":1}"),
            new SseEvent(null, "first line\nsecond line é"),
            new SseEvent(null, "{\"b\":2}"),
            new SseEvent("done", "[DONE]"));

    @Test
    void readsEveryLineEndingCommentsAndMultiLineData() {
        assertThat(new SseParser().feed(STREAM.getBytes(StandardCharsets.UTF_8))).isEqualTo(EXPECTED);
    }

    @Test
    void givesTheSameEventsWhereverTheChunksAreCut() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            for (int second = cut; second <= bytes.length; second += 7) {
                var parser = new SseParser();
                var events = new ArrayList<SseEvent>();
                events.addAll(parser.feed(Arrays.copyOfRange(bytes, 0, cut)));
                events.addAll(parser.feed(Arrays.copyOfRange(bytes, cut, second)));
                events.addAll(parser.feed(Arrays.copyOfRange(bytes, second, bytes.length)));
                events.addAll(parser.finish());
                assertThat(events).as("cut at %d and %d", cut, second).isEqualTo(EXPECTED);
            }
        }
    }

    @Test
    void aLongLineAcrossManyChunksIsKeptWhole() {
        String big = "x".repeat(10_000);
        var parser = new SseParser();
        var events = new ArrayList<SseEvent>();
        byte[] bytes = ("data: " + big + "\n\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 100) events.addAll(parser.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 100))));
        assertThat(events).containsExactly(new SseEvent(null, big));
    }

    @Test
    void anEventWithoutItsBlankLineIsGivenAtTheEnd() {
        var parser = new SseParser();
        assertThat(parser.feed("data: tail".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(parser.finish()).containsExactly(new SseEvent(null, "tail"));
    }
}
