package dev.gantry.protocol;

import static dev.gantry.protocol.Json.parse;
import static dev.gantry.protocol.Json.text;
import static dev.gantry.protocol.Json.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Renaming the model splices only its value: everything else reaches the upstream byte for byte. */
class BodyRewriterModelTest {
    /** Odd spacing, unknown fields, unicode and escapes, a fake "model" inside a string and a nested one. */
    static final String BODY = """
            {
              "messages" : [ {"role":"user", "content":"héllo 🌍 \\u00e9 \\"model\\": \\"gpt-4o\\"", "model": "gpt-4o"} ],
            \t"model"  :   "gpt-4o"  ,
              "x_vendor_field": {"nested": [1, 2.50, true, null, "日本語"]},
              "temperature": 0.70
            }
            """;

    static byte[] rewrite(String body, String upstreamModel) {
        byte[] bytes = utf8(body);
        return BodyRewriter.rewrite(bytes, RequestInspector.inspect(bytes), upstreamModel, false);
    }

    @Test
    void onlyTheModelValueChanges() {
        String out = text(rewrite(BODY, "deepseek-ai/DeepSeek-V4-Flash"));

        assertThat(out).isEqualTo(BODY.replace("\t\"model\"  :   \"gpt-4o\"", "\t\"model\"  :   \"deepseek-ai/DeepSeek-V4-Flash\""));
    }

    @Test
    void theParsedTreeDiffersOnlyInTheModel() {
        ObjectNode expected = parse(BODY);
        expected.put("model", "deepseek-ai/DeepSeek-V4-Flash");

        assertThat(parse(rewrite(BODY, "deepseek-ai/DeepSeek-V4-Flash"))).isEqualTo(expected);
    }

    @Test
    void theSameModelLeavesTheBodyAsItIs() {
        byte[] body = utf8(BODY);

        assertThat(BodyRewriter.rewrite(body, RequestInspector.inspect(body), "gpt-4o", false)).isSameAs(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"say \"hi\"", "back\\slash", "ünïcödé-模型-🚀", "tab\tand\nnewline", "</script>", "\u0001"})
    void aModelIdNeedingEscapesIsWrittenAsValidJson(String upstreamModel) {
        byte[] out = rewrite(BODY, upstreamModel);

        ObjectNode expected = parse(BODY);
        expected.put("model", upstreamModel);
        assertThat(parse(out)).isEqualTo(expected);
    }

    @Test
    void anEscapedModelInTheRequestIsReplacedWhole() {
        String body = "{\"model\":\"gpt\\u002d4o \\\"x\\\"\",\"n\":1}";

        assertThat(text(rewrite(body, "qwen"))).isEqualTo("{\"model\":\"qwen\",\"n\":1}");
    }

    @Test
    void aModelAtTheVeryEndOfTheBody() {
        assertThat(text(rewrite("{\"n\":1,\"model\":\"a\"}", "longer-name"))).isEqualTo("{\"n\":1,\"model\":\"longer-name\"}");
    }
}
