package dev.gantry.usage;

import static dev.gantry.usage.Fixtures.ANTHROPIC_MESSAGE;
import static dev.gantry.usage.Fixtures.ANTHROPIC_STREAM_END;
import static dev.gantry.usage.Fixtures.ANTHROPIC_STREAM_START;
import static dev.gantry.usage.Fixtures.OPENAI_COMPLETION;
import static dev.gantry.usage.Fixtures.anthropicDelta;
import static dev.gantry.usage.Fixtures.openAiStream;
import static dev.gantry.usage.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.Dialect;
import dev.gantry.protocol.Endpoint;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a request consumed: the upstream's own count when it gave one, else a tokenizer's estimate. */
class UsageMeterTest {
    static final TokenEstimator ESTIMATOR = new TokenEstimator();
    static final UsageMeter METER = new UsageMeter(ESTIMATOR);

    /** 100 words of prose: o200k makes one token of each. */
    static final String PROMPT = String.join(" ", Collections.nCopies(100, "hello"));
    static final byte[] REQUEST = utf8("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}");

    /** The sample of a body small enough to be kept whole. */
    static ResponseSample whole(String body) {
        byte[] b = utf8(body);
        return new ResponseSample(b, b, true, b.length);
    }

    /** The sample of a large body: its first and last {@code window} bytes. */
    static ResponseSample ends(String body, int window) {
        byte[] b = utf8(body);
        return new ResponseSample(Arrays.copyOf(b, window), Arrays.copyOfRange(b, b.length - window, b.length), false, b.length);
    }

    static String[] words(int n) {
        var out = new String[n];
        for (int i = 0; i < n; i++) out[i] = " word";
        return out;
    }

    @Test
    void reportedUsageWinsWhenTheAnswerIsComplete() {
        TokenUsage usage = METER.measure(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, false, Outcome.OK, REQUEST, whole(OPENAI_COMPLETION));

        assertThat(usage).isEqualTo(new TokenUsage(19, 10, 6, false));
    }

    @Test
    void withoutATokenizerOnlyAReportedCompleteAnswerOrAFailureIsMeasured() {
        assertThat(METER.measureIfReported(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, false, Outcome.OK, whole(OPENAI_COMPLETION)))
                .contains(new TokenUsage(19, 10, 6, false));
        assertThat(METER.measureIfReported(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, true, Outcome.OK,
                whole(openAiStream(false, "Hi")))).as("nothing reported: must be estimated").isEmpty();
        assertThat(METER.measureIfReported(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, true, Outcome.CANCELLED,
                whole(openAiStream(true, "Hi")))).as("cut short: the report, if any, is not the whole").isEmpty();
        assertThat(METER.measureIfReported(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, false, Outcome.ERROR, whole("{}")))
                .contains(TokenUsage.NONE);
    }

    @Test
    void reportedUsageOfAnOpenAiStream() {
        TokenUsage usage = METER.measure(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, true, Outcome.OK, REQUEST,
                whole(openAiStream(true, "Hi", " there")));

        assertThat(usage).isEqualTo(new TokenUsage(12, 3, 0, false));
    }

    @Test
    void anthropicMessageUsageIncludesCachedInput() {
        TokenUsage usage = METER.measure(Endpoint.MESSAGES, Dialect.ANTHROPIC, false, Outcome.OK, REQUEST, whole(ANTHROPIC_MESSAGE));

        assertThat(usage).isEqualTo(new TokenUsage(420, 7, 300, false));
    }

    @Test
    void anthropicStreamMergesTheStartAndTheEnd() {
        String stream = ANTHROPIC_STREAM_START + String.join("", Collections.nCopies(200, anthropicDelta(" word")))
                + ANTHROPIC_STREAM_END;

        // head and tail are separate windows here: message_start is only in the head, message_delta only in the tail
        TokenUsage usage = METER.measure(Endpoint.MESSAGES, Dialect.ANTHROPIC, true, Outcome.OK, REQUEST, ends(stream, 1024));

        assertThat(usage).isEqualTo(new TokenUsage(35, 15, 10, false));
    }

    @Test
    void noReportedUsageIsEstimated() {
        TokenUsage usage = METER.measure(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, true, Outcome.OK, REQUEST,
                whole(openAiStream(false, words(40))));

        assertThat(usage.estimated()).isTrue();
        assertThat(usage.inputTokens()).isBetween(100L, 130L);   // the prompt's 100 words, give or take
        assertThat(usage.outputTokens()).isBetween(40L, 50L);    // 40 words streamed
        assertThat(usage.cachedInputTokens()).isZero();
    }

    @Test
    void aNonStreamingAnswerWithoutUsageIsEstimatedFromItsText() {
        String body = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + String.join("", words(30)) + "\"}}]}";

        TokenUsage usage = METER.measure(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, false, Outcome.OK, REQUEST, whole(body));

        assertThat(usage.estimated()).isTrue();
        assertThat(usage.outputTokens()).isBetween(30L, 36L);
        assertThat(usage.inputTokens()).isBetween(100L, 130L);
    }

    @Test
    void aCancelledStreamKeepsTheReportedInputAndEstimatesTheOutput() {
        // the client left after 60 words: message_start was sent, message_delta never was
        String stream = ANTHROPIC_STREAM_START + String.join("", Collections.nCopies(60, anthropicDelta(" word")));

        TokenUsage usage = METER.measure(Endpoint.MESSAGES, Dialect.ANTHROPIC, true, Outcome.CANCELLED, REQUEST, whole(stream));

        assertThat(usage.estimated()).isTrue();
        assertThat(usage.inputTokens()).isEqualTo(35);          // reported, not the tokenizer's ~100
        assertThat(usage.cachedInputTokens()).isEqualTo(10);
        assertThat(usage.outputTokens()).isBetween(60L, 70L);
    }

    @Test
    void aCutOpenAiStreamEstimatesBothSides() {
        TokenUsage usage = METER.measure(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, true, Outcome.STREAM_CUT, REQUEST,
                whole(String.join("", Arrays.stream(words(25)).map(Fixtures::openAiChunk).toList())));

        assertThat(usage.estimated()).isTrue();
        assertThat(usage.inputTokens()).isBetween(100L, 130L);
        assertThat(usage.outputTokens()).isBetween(25L, 30L);
    }

    @ParameterizedTest
    @EnumSource(value = Endpoint.class, names = "COUNT_TOKENS", mode = EnumSource.Mode.EXCLUDE)
    void anErrorConsumedNothing(Endpoint endpoint) {
        TokenUsage usage = METER.measure(endpoint, endpoint.dialect(), false, Outcome.ERROR, REQUEST, whole(OPENAI_COMPLETION));

        assertThat(usage).isSameAs(TokenUsage.NONE);
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void countingTokensConsumesNothing(Outcome outcome) {
        TokenUsage usage = METER.measure(Endpoint.COUNT_TOKENS, Dialect.ANTHROPIC, false, outcome, REQUEST,
                whole("{\"input_tokens\":42,\"usage\":{\"input_tokens\":42}}"));

        assertThat(usage).isSameAs(TokenUsage.NONE);
    }

    @Test
    void embeddingsWithoutUsageHaveNoOutput() {
        TokenUsage usage = METER.measure(Endpoint.EMBEDDINGS, Dialect.OPENAI, false, Outcome.OK, REQUEST,
                whole("{\"data\":[{\"embedding\":[0.1,0.2]}]}"));

        assertThat(usage.outputTokens()).isZero();
        assertThat(usage.inputTokens()).isPositive();
        assertThat(usage.estimated()).isTrue();
    }

    @Test
    void aStreamLargerThanTheTailWindowIsExtrapolated() {
        int window = 4096;
        String stream = openAiStream(false, words(2_000));
        String twiceAsLong = openAiStream(false, words(4_000));

        long estimate = METER.measure(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, true, Outcome.OK, REQUEST,
                ends(stream, window)).outputTokens();
        long longerEstimate = METER.measure(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, true, Outcome.OK, REQUEST,
                ends(twiceAsLong, window)).outputTokens();

        assertThat(utf8(stream).length).isGreaterThan(20 * window);
        assertThat(estimate).isBetween(1_600L, 2_400L);          // the 2000 words, though the tail held ~1/25 of them
        assertThat(longerEstimate).isBetween(2 * estimate - estimate / 5, 2 * estimate + estimate / 5);
    }

    @Test
    void aLargeCutJsonBodyIsEstimatedFromItsSize() {
        String body = "{\"choices\":[{\"message\":{\"content\":\"" + "x".repeat(40_000) + "\"}}]}";

        TokenUsage usage = METER.measure(Endpoint.CHAT_COMPLETIONS, Dialect.OPENAI, false, Outcome.CANCELLED, REQUEST,
                ends(body, 1024));

        assertThat(usage.outputTokens()).isEqualTo(utf8(body).length / 4);
    }
}
