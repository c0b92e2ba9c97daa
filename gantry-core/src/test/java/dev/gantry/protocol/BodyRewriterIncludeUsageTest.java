package dev.gantry.protocol;

import static dev.gantry.protocol.Json.parse;
import static dev.gantry.protocol.Json.text;
import static dev.gantry.protocol.Json.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forcing {@code stream_options.include_usage} so that an OpenAI stream reports its usage, whatever
 * the client wrote there: the result is valid JSON, with nothing else changed.
 */
class BodyRewriterIncludeUsageTest {

    static byte[] force(String body) {
        byte[] bytes = utf8(body);
        return BodyRewriter.rewrite(bytes, RequestInspector.inspect(bytes), RequestInspector.inspect(bytes).model(), true);
    }

    /** The client's body as parsed, with include_usage set as the rewrite must set it. */
    static ObjectNode expected(String body) {
        ObjectNode node = parse(body);
        var so = node.get("stream_options");
        ObjectNode options = so instanceof ObjectNode o ? o : node.putObject("stream_options");
        options.put("include_usage", true);
        return node;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":null}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{}}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\": { } }",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"other\":1}}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"other\":{\"include_usage\":false},\"x\":[1]}}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\": false}}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":null,\"other\":1}}",
            "{\"stream_options\":{\"other\":1, \"include_usage\":false},\"model\":\"m\"}",
            "  {\n  \"model\" : \"m\" ,\n  \"stream\" : true\n}\n"})
    void everyShapeOfStreamOptionsEndsWithIncludeUsageTrue(String body) {
        byte[] out = force(body);

        ObjectNode parsed = parse(out);
        assertThat(parsed.path("stream_options").path("include_usage").isBoolean()).isTrue();
        assertThat(parsed.path("stream_options").path("include_usage").booleanValue()).isTrue();
        assertThat(parsed).isEqualTo(expected(body));
    }

    @Test
    void noStreamOptionsAddsThemAndKeepsTheRestVerbatim() {
        String body = "{\"model\":\"m\", \"stream\":true}";

        assertThat(text(force(body))).isEqualTo("{\"stream_options\":{\"include_usage\":true},\"model\":\"m\", \"stream\":true}");
    }

    @Test
    void nullStreamOptionsAreReplacedInPlace() {
        assertThat(text(force("{\"model\":\"m\",\"stream_options\": null ,\"n\":1}")))
                .isEqualTo("{\"model\":\"m\",\"stream_options\": {\"include_usage\":true} ,\"n\":1}");
    }

    @Test
    void emptyStreamOptionsGetTheField() {
        assertThat(text(force("{\"model\":\"m\",\"stream_options\":{ }}")))
                .isEqualTo("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true }}");
    }

    /** Not what OpenAI accepts, but valid JSON: replaced by an object rather than rejected as malformed. */
    @ParameterizedTest
    @ValueSource(strings = {"5", "-1.5e3", "\"x\"", "true", "[]", "[1,{\"a\":[2]}]"})
    void streamOptionsOfAnotherTypeAreReplacedByAnObject(String value) {
        String body = "{\"model\":\"m\",\"stream_options\":" + value + " ,\"n\":1}";

        assertThat(text(force(body))).isEqualTo("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true} ,\"n\":1}");
    }

    @Test
    void otherStreamOptionsAreKept() {
        assertThat(text(force("{\"model\":\"m\",\"stream_options\":{\"other\":1}}")))
                .isEqualTo("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true,\"other\":1}}");
    }

    @Test
    void falseBecomesTrue() {
        assertThat(text(force("{\"model\":\"m\",\"stream_options\":{\"include_usage\": false, \"x\":2}}")))
                .isEqualTo("{\"model\":\"m\",\"stream_options\":{\"include_usage\": true, \"x\":2}}");
    }

    @Test
    void alreadyTrueChangesNothing() {
        byte[] body = utf8("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

        assertThat(BodyRewriter.rewrite(body, RequestInspector.inspect(body), "m", true)).isSameAs(body);
    }

    @Test
    void withoutForcingNothingIsAdded() {
        byte[] body = utf8("{\"model\":\"m\",\"stream\":true}");

        assertThat(BodyRewriter.rewrite(body, RequestInspector.inspect(body), "m", false)).isSameAs(body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"model\":\"gpt-4o\",\"stream\":true}",
            "{\"model\":\"gpt-4o\",\"stream_options\":null}",
            "{\"stream_options\":{},\"model\":\"gpt-4o\"}",
            "{\"model\":\"gpt-4o\",\"stream_options\":{\"include_usage\":false}}",
            "{\"stream_options\":{\"a\":\"ü\"},\"content\":\"🌍\",\"model\":\"gpt-4o\"}"})
    void renamingAndForcingTogether(String body) {
        byte[] bytes = utf8(body);

        byte[] out = BodyRewriter.rewrite(bytes, RequestInspector.inspect(bytes), "vendor/\"odd\" ✓", true);

        ObjectNode want = expected(body);
        want.put("model", "vendor/\"odd\" ✓");
        assertThat(parse(out)).isEqualTo(want);
    }
}
