package dev.gantry.usage;

import static dev.gantry.usage.Fixtures.ANTHROPIC_MESSAGE;
import static dev.gantry.usage.Fixtures.ANTHROPIC_STREAM_END;
import static dev.gantry.usage.Fixtures.ANTHROPIC_STREAM_START;
import static dev.gantry.usage.Fixtures.OPENAI_COMPLETION;
import static dev.gantry.usage.Fixtures.RESPONSES_API;
import static dev.gantry.usage.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain usage reader must read what providers send without Jackson, and must agree with
 * Jackson on everything else: every cut and every single-byte change of real usage objects.
 */
class UsageObjectReaderTest {
    /** Usage objects as providers send them, and the odd shapes the rules speak of. */
    private static final List<String> OBJECTS = List.of(
            usageOf(OPENAI_COMPLETION), usageOf(ANTHROPIC_MESSAGE), usageOf(ANTHROPIC_STREAM_START),
            usageOf(ANTHROPIC_STREAM_END), usageOf(RESPONSES_API),
            """
            {"prompt_tokens":1069,"completion_tokens":50,"total_tokens":1119,"prompt_tokens_details":{"cached_tokens":0,\
            "audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,\
            "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""",
            "{ \"prompt_tokens\" : -0 , \"completion_tokens\":\t7,\r\n\"x\":[1,{\"prompt_tokens\":99},[2.5e3,true,false,null]] }",
            "{\"input_tokens\":5,\"input_tokens\":6,\"nested\":{\"output_tokens\":9,\"cache_read_input_tokens\":4},\"output_tokens\":1.5}",
            "{\"prompt_tokens\":123456789012345678,\"completion_tokens\":0.0,\"s\":\"text with spaces: {}[],\"}",
            "{}");

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readsWhatProvidersSendWithoutJackson(int index) {
        byte[] b = utf8(OBJECTS.get(index));

        var reader = new UsageObjectReader(b, 0, b.length);

        assertThat(reader.read()).isEqualTo(UsageObjectReader.READ);
        assertThat(UsageScanner.objectAfterKey(b, 0, b.length)).isEqualTo(UsageScanner.readWithJackson(b, 0, b.length))
                .isPresent();
    }

    @Test
    void leavesEscapesAndNonAsciiToJackson() {
        for (String odd : List.of("{\"prompt\\u005ftokens\":3}", "{\"n\":\"caf\u00e9\",\"prompt_tokens\":3}",
                "{\"prompt_tokens\":1234567890123456789}", "{\"prompt_tokens\":01}")) {
            byte[] b = utf8(odd);
            assertThat(new UsageObjectReader(b, 0, b.length).read()).as(odd).isEqualTo(UsageObjectReader.ASK_JACKSON);
        }
        byte[] escaped = utf8("{\"prompt\\u005ftokens\":3}");
        assertThat(UsageScanner.objectAfterKey(escaped, 0, escaped.length)).contains(new TokenUsage(3, 0, 0, false));
    }

    @Test
    void agreesWithJacksonOnEveryCut() {
        for (String object : OBJECTS) {
            byte[] b = utf8(object);
            for (int to = 1; to <= b.length; to++) assertAgrees(b, to);
        }
    }

    @Test
    void agreesWithJacksonOnEverySingleByteChange() {
        byte[] replacements = utf8("{}[]\",:\\ 0123456789-+.eEtfnulx\t\n\u00e9");
        for (String object : OBJECTS) {
            byte[] original = utf8(object);
            for (int at = 0; at < original.length; at++) {
                for (byte r : replacements) {
                    byte[] b = original.clone();
                    b[at] = r;
                    assertAgrees(b, b.length);
                }
            }
        }
    }

    @Test
    void agreesWithJacksonOnRandomEdits() {
        var random = new Random(42);
        byte[] alphabet = utf8("{}[]\",:\\ 019-.eEtrufalsn_\t");
        for (int round = 0; round < 20_000; round++) {
            byte[] b = utf8(OBJECTS.get(random.nextInt(OBJECTS.size())));
            var edited = new ArrayList<Byte>();
            for (byte x : b) edited.add(x);
            for (int edits = 1 + random.nextInt(4); edits > 0 && !edited.isEmpty(); edits--) {
                int at = random.nextInt(edited.size());
                switch (random.nextInt(3)) {
                    case 0 -> edited.remove(at);
                    case 1 -> edited.add(at, alphabet[random.nextInt(alphabet.length)]);
                    default -> edited.set(at, alphabet[random.nextInt(alphabet.length)]);
                }
            }
            byte[] out = new byte[edited.size()];
            for (int i = 0; i < out.length; i++) out[i] = edited.get(i);
            if (out.length > 0) assertAgrees(out, out.length);
        }
    }

    private static void assertAgrees(byte[] b, int to) {
        if (b[0] != '{') return; // not an object: the scanner does not read on
        assertThat(UsageScanner.objectAfterKey(b, 0, to))
                .as("%s", new String(b, 0, to, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(UsageScanner.readWithJackson(b, 0, to));
    }

    /** The object after the last non-null "usage" key of a fixture. */
    private static String usageOf(String fixture) {
        int at = fixture.lastIndexOf("\"usage\":{");
        int start = fixture.indexOf('{', at);
        int depth = 0;
        for (int i = start; i < fixture.length(); i++) {
            char c = fixture.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return fixture.substring(start, i + 1);
        }
        throw new IllegalArgumentException("no whole usage object in " + fixture);
    }
}
