package dev.gantry.protocol;

import static dev.gantry.protocol.Json.text;
import static dev.gantry.protocol.Json.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the gateway reads of a request body, and how it rejects bodies it cannot use. */
class RequestInspectorTest {

    static ErrorCode rejection(String body) {
        return catchThrowableOfType(GatewayException.class, () -> RequestInspector.inspect(utf8(body))).code();
    }

    @Test
    void readsTheModelAndTheStreamFlag() {
        RequestFacts facts = RequestInspector.inspect(utf8("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}"));

        assertThat(facts.model()).isEqualTo("gpt-4o");
        assertThat(facts.stream()).isTrue();
        assertThat(facts.streamOptions()).isNull();
        assertThat(facts.clientWantsUsage()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"m\"}",
            "{\"model\":\"m\",\"stream\":false}",
            "{\"model\":\"m\",\"stream\":null}",
            "{\"model\":\"m\",\"stream\":\"true\"}",
            "{\"model\":\"m\",\"stream\":1}"})
    void onlyALiteralTrueAsksForAStream(String body) {
        assertThat(RequestInspector.inspect(utf8(body)).stream()).isFalse();
    }

    @Test
    void readsTheModelWhereverItSitsAndWhateverComesBefore() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"héllo 🌍\",\"model\":\"inner\"}],"
                + "\"metadata\":{\"model\":\"nested\"},\"model\" : \"qwen3-coder\", \"tools\":[[{}]]}";

        RequestFacts facts = RequestInspector.inspect(utf8(body));

        assertThat(facts.model()).isEqualTo("qwen3-coder");
    }

    @Test
    void offsetsAreByteOffsetsOfTheQuotedModelValue() {
        byte[] body = utf8("  {\"content\":\"日本語 🌍\", \"model\":  \"gpt-4o\" ,\"stream\":true}");

        RequestFacts facts = RequestInspector.inspect(body);

        assertThat(text(Arrays.copyOfRange(body, facts.modelStart(), facts.modelEnd()))).isEqualTo("\"gpt-4o\"");
        assertThat(body[facts.rootStart()]).isEqualTo((byte) '{');
        assertThat(facts.rootStart()).isEqualTo(2);
    }

    @Test
    void decodesEscapesInTheModelAndItsOffsetsCoverTheEscapedForm() {
        byte[] body = utf8("{\"model\":\"qwen\\u002dcoder \\\"x\\\"\"}");

        RequestFacts facts = RequestInspector.inspect(body);

        assertThat(facts.model()).isEqualTo("qwen-coder \"x\"");
        assertThat(text(Arrays.copyOfRange(body, facts.modelStart(), facts.modelEnd())))
                .isEqualTo("\"qwen\\u002dcoder \\\"x\\\"\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "null"})
    void readsWhetherTheClientAskedForUsageItself(String includeUsage) {
        RequestFacts facts = RequestInspector.inspect(utf8(
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":" + includeUsage + "}}"));

        assertThat(facts.clientWantsUsage()).isEqualTo(includeUsage.equals("true"));
        assertThat(facts.streamOptions()).isNotNull();
        assertThat(facts.streamOptions().isObject()).isTrue();
    }

    @Test
    void streamOptionsWithoutIncludeUsage() {
        RequestFacts facts = RequestInspector.inspect(utf8("{\"model\":\"m\",\"stream_options\":{\"other\":{\"include_usage\":true}}}"));

        assertThat(facts.clientWantsUsage()).isFalse();
        assertThat(facts.streamOptions().includeUsageStart()).isEqualTo(-1);
        assertThat(facts.streamOptions().objectEmpty()).isFalse();
    }

    @Test
    void aNonBooleanIncludeUsageIsRejected() {
        assertThat(rejection("{\"model\":\"m\",\"stream_options\":{\"include_usage\":\"yes\"}}")).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(rejection("{\"model\":\"m\",\"stream_options\":{\"include_usage\":{}}}")).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\": \"m\", \"messages\": [",
            "{\"model\": \"m\",}",
            "{model: \"m\"}",
            "{\"model\": 'm'}",
            "{\"model\": \"m\" \"stream\": true}",
            "{\"model\": \"unterminated}",
            "{not json"})
    void malformedJsonIsInvalidJson(String body) {
        assertThat(rejection(body)).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[{\"model\":\"m\"}]", "\"m\"", "42", "null", "true"})
    void aBodyThatIsNotAnObjectIsInvalidJson(String body) {
        assertThat(rejection(body)).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"m\"} trailing",
            "{\"model\":\"m\"}{}",
            "{\"model\":\"m\"},",
            "{\"model\":\"m\"}]",
            "{\"model\":\"m\"} 42"})
    void contentAfterTheObjectIsInvalidJson(String body) {
        assertThat(rejection(body)).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @Test
    void whitespaceAfterTheObjectIsFine() {
        assertThat(RequestInspector.inspect(utf8("{\"model\":\"m\"}\r\n\t ")).model()).isEqualTo("m");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"messages\":[]}",
            "{\"model\":\"\"}",
            "{\"metadata\":{\"model\":\"nested-only\"}}"})
    void noModelIsMissingModel(String body) {
        assertThat(rejection(body)).isEqualTo(ErrorCode.MISSING_MODEL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "null", "true", "[\"m\"]", "{\"name\":\"m\"}"})
    void aModelThatIsNotAStringIsAnInvalidRequest(String model) {
        assertThat(rejection("{\"model\":" + model + ",\"messages\":[]}")).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void errorMessagesAreFitForTheClient() {
        var e = catchThrowableOfType(GatewayException.class, () -> RequestInspector.inspect(utf8("{\"model\": ")));

        assertThat(e.getMessage()).startsWith("The request body is not valid JSON").doesNotContain("\n");
    }
}
