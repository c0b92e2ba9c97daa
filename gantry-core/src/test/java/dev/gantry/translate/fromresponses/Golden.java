package dev.gantry.translate.fromresponses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.translate.SseEvent;
import dev.gantry.translate.SseParser;
import dev.gantry.translate.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden files under {@code src/test/resources/translate/fromresponses/}. Run with
 * {@code -Dgolden.update=true} to rewrite the expected files from the actual output (then read the
 * diff before committing it).
 */
final class Golden {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DIR = "translate/fromresponses/";

    private Golden() {}

    static String read(String name) {
        try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(DIR + name)) {
            if (in == null) throw new IllegalArgumentException("no golden file " + DIR + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String name) {
        return read(name).getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The actual JSON equals the golden file's (as trees: key order and spacing aside). */
    static void assertJson(byte[] actual, String expectedFile) {
        if (update(expectedFile, pretty(actual))) return;
        assertThat(tree(actual)).isEqualTo(tree(read(expectedFile)));
    }

    /** The actual event stream equals the golden file's, byte for byte. */
    static void assertText(String actual, String expectedFile) {
        if (update(expectedFile, actual)) return;
        assertThat(actual).isEqualTo(read(expectedFile));
    }

    /** In update mode, writes the golden file and says so. */
    private static boolean update(String file, String content) {
        if (!Boolean.getBoolean("golden.update")) return false;
        try {
            Path path = Path.of("src/test/resources", DIR, file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pretty(byte[] json) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree(json)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole upstream stream in one chunk, then its end. */
    static String translateWhole(StreamTranslator translator, byte[] upstream) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(translator.feed(upstream));
        out.writeBytes(translator.end());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The upstream stream one byte at a time, then its end. */
    static String translateBytewise(StreamTranslator translator, byte[] upstream) {
        var out = new ByteArrayOutputStream();
        for (byte b : upstream) out.writeBytes(translator.feed(new byte[] {b}));
        out.writeBytes(translator.end());
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<SseEvent> events(String stream) {
        var parser = new SseParser();
        List<SseEvent> events = new ArrayList<>(parser.feed(stream.getBytes(StandardCharsets.UTF_8)));
        events.addAll(parser.finish());
        return events;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
