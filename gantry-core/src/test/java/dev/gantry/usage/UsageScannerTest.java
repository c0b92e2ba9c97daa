package dev.gantry.usage;

import static dev.gantry.usage.Fixtures.ANTHROPIC_MESSAGE;
import static dev.gantry.usage.Fixtures.ANTHROPIC_STREAM_END;
import static dev.gantry.usage.Fixtures.ANTHROPIC_STREAM_START;
import static dev.gantry.usage.Fixtures.OPENAI_COMPLETION;
import static dev.gantry.usage.Fixtures.RESPONSES_API;
import static dev.gantry.usage.Fixtures.anthropicDelta;
import static dev.gantry.usage.Fixtures.openAiStream;
import static dev.gantry.usage.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding the usage a provider reported in the ends of its answer, in both vocabularies. */
class UsageScannerTest {

    static Optional<TokenUsage> last(String text) {
        byte[] b = utf8(text);
        return UsageScanner.last(b, 0, b.length);
    }

    static Optional<TokenUsage> first(String text) {
        byte[] b = utf8(text);
        return UsageScanner.first(b, 0, b.length);
    }

    @Test
    void openAiCompletionWithCachedPromptTokens() {
        assertThat(last(OPENAI_COMPLETION)).contains(new TokenUsage(19, 10, 6, false));
    }

    @Test
    void openAiStreamTakesTheFinalUsageChunkPastTheNullOnes() {
        assertThat(last(openAiStream(true, "Hel", "lo", "!"))).contains(new TokenUsage(12, 3, 0, false));
    }

    @Test
    void openAiStreamWithOnlyNullUsageReportsNothing() {
        assertThat(last(openAiStream(false, "Hel", "lo"))).isEmpty();
        assertThat(first(openAiStream(false, "Hel", "lo"))).isEmpty();
    }

    @Test
    void anthropicMessageAddsCacheReadsAndWritesToInput() {
        // input_tokens leaves out the cached parts: 20 + 100 written + 300 read
        assertThat(last(ANTHROPIC_MESSAGE)).contains(new TokenUsage(420, 7, 300, false));
    }

    @Test
    void anthropicStreamReportsInputAtTheStartAndOutputAtTheEnd() {
        String stream = ANTHROPIC_STREAM_START + anthropicDelta("Hello") + anthropicDelta(" world") + ANTHROPIC_STREAM_END;

        TokenUsage start = first(stream).orElseThrow();
        TokenUsage end = last(stream).orElseThrow();

        assertThat(start).isEqualTo(new TokenUsage(35, 1, 10, false));
        assertThat(end).isEqualTo(new TokenUsage(0, 15, 0, false));
        assertThat(UsageScanner.merge(start, end)).isEqualTo(new TokenUsage(35, 15, 10, false));
    }

    @Test
    void mergeKeepsTheEstimatedMark() {
        var merged = UsageScanner.merge(new TokenUsage(5, 1, 0, false), new TokenUsage(0, 9, 2, true));

        assertThat(merged).isEqualTo(new TokenUsage(5, 9, 2, true));
    }

    @Test
    void responsesApiCountsCachedTokensInsideInputTokens() {
        assertThat(last(RESPONSES_API)).contains(new TokenUsage(328, 52, 128, false));
    }

    @Test
    void aUsageKeyInsideAStringIsNotUsage() {
        String body = "{\"choices\":[{\"message\":{\"content\":\"the \\\"usage\\\": {\\\"prompt_tokens\\\": 999,"
                + " \\\"completion_tokens\\\": 1}\"}}]}";

        assertThat(last(body)).isEmpty();
        assertThat(first(body)).isEmpty();
    }

    @Test
    void theRealUsageIsFoundPastAFakeOneInContent() {
        String body = "{\"choices\":[{\"message\":{\"content\":\"\\\"usage\\\":{\\\"prompt_tokens\\\":999}\"}}],"
                + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}";

        assertThat(last(body)).contains(new TokenUsage(4, 2, 0, false));
        assertThat(first(body)).contains(new TokenUsage(4, 2, 0, false));
    }

    @Test
    void theWordUsageAsAValueIsNotAKey() {
        assertThat(last("{\"type\":\"usage\",\"data\":[\"usage\", {\"prompt_tokens\":5}]}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"usage\":{\"prompt_tokens\":12,\"complet",
            "{\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3",
            "{\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":2}",
            "{\"usage\":",
            "{\"usage\": {"})
    void aUsageObjectCutOffAtTheWindowEndIsNotReported(String window) {
        assertThat(last(window)).isEmpty();
        assertThat(first(window)).isEmpty();
    }

    @Test
    void onlyTheGivenRangeIsSearched() {
        byte[] b = utf8("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}"
                + "{\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":2}}");
        int half = b.length / 2;

        assertThat(UsageScanner.last(b, 0, half)).contains(new TokenUsage(1, 1, 0, false));
        assertThat(UsageScanner.first(b, half, b.length)).contains(new TokenUsage(2, 2, 0, false));
    }

    @Test
    void unknownFieldsInsideUsageAreIgnored() {
        String body = "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"cost\":0.25,\"label\":\"x\","
                + "\"per_step\":[1,2,3],\"steps\":[{\"prompt_tokens\":100}]}}";

        assertThat(last(body)).contains(new TokenUsage(5, 2, 0, false));
    }

    @Test
    void aUsageObjectWithoutTokenCountsIsNotUsage() {
        assertThat(last("{\"usage\":{\"requests\":3}}")).isEmpty();
    }
}
