package dev.gantry.usage;

import static dev.gantry.usage.Fixtures.anthropicDelta;
import static dev.gantry.usage.Fixtures.openAiStream;
import static dev.gantry.usage.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The tokenizer estimate counts the prose of bodies and streams, and nothing else. */
class TokenEstimatorTest {
    static final TokenEstimator ESTIMATOR = new TokenEstimator();
    static final String TEXT = "The quick brown fox jumps over the lazy dog, twice: once for luck.";

    static long sse(String stream) {
        byte[] b = utf8(stream);
        return ESTIMATOR.countSse(b, 0, b.length);
    }

    @Test
    void aStreamCountsLikeTheTextItSpellsOut() {
        String[] pieces = {"The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ",", " twice",
                ":", " once", " for", " luck", "."};

        assertThat(sse(openAiStream(true, pieces))).isEqualTo(ESTIMATOR.countText(TEXT));
    }

    @Test
    void anAnthropicStreamCountsItsTextDeltas() {
        String stream = anthropicDelta("The quick brown fox") + anthropicDelta(" jumps over the lazy dog,")
                + anthropicDelta(" twice: once for luck.");

        assertThat(sse(stream)).isEqualTo(ESTIMATOR.countText(TEXT));
    }

    @Test
    void aResponsesApiStreamCountsItsTextDeltas() {
        String stream = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\","
                + "\"output_index\":0,\"content_index\":0,\"delta\":\"The quick brown fox jumps\"}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\","
                + "\"output_index\":0,\"content_index\":0,\"delta\":\" over the lazy dog, twice: once for luck.\"}\n\n";

        assertThat(sse(stream)).isEqualTo(ESTIMATOR.countText(TEXT));
    }

    @Test
    void aWindowStartingMidEventCountsTheWholeEventsOnly() {
        String stream = openAiStream(false, "ignored", " words") + openAiStream(false, "Counted");
        byte[] b = utf8(stream);
        int cut = stream.indexOf("ignored") - 10;

        assertThat(ESTIMATOR.countSse(b, cut, b.length)).isEqualTo(ESTIMATOR.countText(" wordsCounted"));
    }

    @Test
    void aJsonBodyCountsItsProseFieldsOnly() {
        byte[] body = utf8("{\"model\":\"gpt-4o\",\"temperature\":0.5,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + TEXT + "\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}");

        long tokens = ESTIMATOR.countJson(body, 0, body.length);

        assertThat(tokens).isBetween(ESTIMATOR.countText("Be brief. " + TEXT), ESTIMATOR.countText("Be brief. " + TEXT) + 2);
    }

    @Test
    void nothingToCount() {
        assertThat(ESTIMATOR.countText("")).isZero();
        assertThat(sse("data: [DONE]\n\n")).isZero();
    }
}
