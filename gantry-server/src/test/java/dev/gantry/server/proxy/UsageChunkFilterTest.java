package dev.gantry.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The filter drops exactly the usage-only chunk of an OpenAI stream and passes every other byte through. */
class UsageChunkFilterTest {
    static final String ROLE = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n";
    static final String CONTENT = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Grüße, 世界\"}}]}\n\n";
    static final String FINISH = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
    static final String USAGE_ONLY = "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n";
    static final String DONE = "data: [DONE]\n\n";

    static final String STREAM = ROLE + CONTENT + FINISH + USAGE_ONLY + DONE;
    static final String FILTERED = ROLE + CONTENT + FINISH + DONE;

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** Everything the client would get: each chunk filtered, then the flush. */
    static String run(byte[]... chunks) {
        return run(Buffer::buffer, chunks);
    }

    static String run(java.util.function.Function<byte[], Buffer> asBuffer, byte[]... chunks) {
        var filter = new UsageChunkFilter();
        Buffer out = Buffer.buffer();
        for (byte[] chunk : chunks) out.appendBuffer(filter.filter(asBuffer.apply(chunk)));
        out.appendBuffer(filter.flush());
        return out.toString(StandardCharsets.UTF_8);
    }

    static String run(String... chunks) {
        return run(Arrays.stream(chunks).map(UsageChunkFilterTest::bytes).toArray(byte[][]::new));
    }

    @Test
    void dropsTheUsageOnlyChunkAndKeepsTheRestByteForByte() {
        assertThat(run(STREAM)).isEqualTo(FILTERED);
    }

    @Test
    void keepsAChunkWithEmptyChoicesAndNullUsage() {
        String nullUsage = "data: {\"id\":\"c1\",\"choices\":[],\"usage\":null}\n\n";

        assertThat(run(ROLE + nullUsage + DONE)).isEqualTo(ROLE + nullUsage + DONE);
    }

    @Test
    void keepsAChunkThatCarriesUsageBesideItsChoices() {
        String contentWithUsage = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":1}}\n\n";

        assertThat(run(contentWithUsage + DONE)).isEqualTo(contentWithUsage + DONE);
    }

    @Test
    void dropsTheUsageOnlyChunkWhateverItsFieldOrderAndNesting() {
        String usageFirst = "data: {\"usage\":{\"prompt_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":0}},"
                + "\"meta\":{\"choices\":[1]},\"choices\":[]}\n\n";

        assertThat(run(ROLE + usageFirst + DONE)).isEqualTo(ROLE + DONE);
    }

    @Test
    void keepsAChunkWhoseEmptyChoicesAreNestedOrWhoseUsageIsNotAnObject() {
        String nestedChoices = "data: {\"x\":{\"choices\":[]},\"choices\":[{\"index\":0}],\"usage\":{\"total_tokens\":1}}\n\n";
        String usageArray = "data: {\"choices\":[],\"usage\":[{\"total_tokens\":1}],\"u\":{\"usage\":{}}}\n\n";

        assertThat(run(ROLE + nestedChoices + DONE)).isEqualTo(ROLE + nestedChoices + DONE);
        assertThat(run(ROLE + usageArray + DONE)).isEqualTo(ROLE + usageArray + DONE);
    }

    @Test
    void keepsAChunkThatOnlyMentionsUsageInItsText() {
        String mention = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\"usage\\\": {\"}}]}\n\n";

        assertThat(run(mention)).isEqualTo(mention);
    }

    @Test
    void dropsTheUsageOnlyChunkWithCrLfLineEndings() {
        String crlf = STREAM.replace("\n", "\r\n");

        assertThat(run(crlf)).isEqualTo(FILTERED.replace("\n", "\r\n"));
    }

    @Test
    void dropsTheUsageOnlyChunkWithoutASpaceAfterData() {
        assertThat(run(ROLE + USAGE_ONLY.replace("data: ", "data:") + DONE)).isEqualTo(ROLE + DONE);
    }

    @Test
    void worksWhenTheStreamIsSplitInTwoAtEveryBytePosition() {
        byte[] stream = bytes(STREAM);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(run(Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(stream, cut, stream.length)))
                    .as("cut at byte %d", cut).isEqualTo(FILTERED);
        }
    }

    @Test
    void worksWhenTheStreamArrivesOneByteAtATime() {
        byte[] stream = bytes(STREAM);
        byte[][] chunks = new byte[stream.length][];
        for (int i = 0; i < stream.length; i++) chunks[i] = new byte[] {stream[i]};

        assertThat(run(chunks)).isEqualTo(FILTERED);
    }

    @Test
    void holdsBackAnIncompleteEventUntilItsEndArrives() {
        var filter = new UsageChunkFilter();

        Buffer first = filter.filter(Buffer.buffer(ROLE + "data: {\"choices\":[]"));
        Buffer second = filter.filter(Buffer.buffer(",\"usage\":{\"total_tokens\":1}}\n\n" + DONE));

        assertThat(first.toString()).isEqualTo(ROLE);
        assertThat(second.toString()).isEqualTo(DONE);
        assertThat(filter.flush().length()).isZero();
    }

    @Test
    void flushReturnsAHeldBackIncompleteTail() {
        var filter = new UsageChunkFilter();
        String unterminated = "data: {\"choices\":[{\"delta\":{\"content\":\"cut\"}}]}\n";

        assertThat(filter.filter(Buffer.buffer(CONTENT + unterminated)).toString(StandardCharsets.UTF_8)).isEqualTo(CONTENT);
        assertThat(filter.flush().toString()).isEqualTo(unterminated);
        assertThat(filter.flush().length()).isZero();
    }

    @Test
    void aStreamWithoutUsageIsUnchanged() {
        String stream = ROLE + CONTENT + DONE;

        assertThat(run(stream)).isEqualTo(stream);
    }

    @Test
    void looksPastBlankLinesAndDoneForTheUsageOnlyChunk() {
        assertThat(run(ROLE + USAGE_ONLY + "\n" + DONE)).isEqualTo(ROLE + "\n" + DONE);
        assertThat(run(ROLE + USAGE_ONLY, "\n", DONE)).isEqualTo(ROLE + "\n" + DONE);
    }

    @Test
    void aChunkOfManyEventsWithoutUsageGoesOnAsTheSameBuffer() {
        Buffer chunk = Buffer.buffer(ROLE + CONTENT + CONTENT + FINISH);

        assertThat(new UsageChunkFilter().filter(chunk)).isSameAs(chunk);
    }

    @Test
    void findsTheUsageKeyAtEveryPlaceInAWordAndAmongManyGs() {
        for (int pad = 0; pad < 17; pad++) {
            String usageOnly = "data: {\"id\":\"gggg\"" + " ".repeat(pad)
                    + ",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n";
            assertThat(run(CONTENT + usageOnly + DONE)).as("pad %d", pad).isEqualTo(CONTENT + DONE);
        }
    }

    @Test
    void keepsExtraBlankLinesBetweenEvents() {
        String stream = CONTENT + "\n" + DONE;

        assertThat(run(CONTENT + "\n", DONE)).isEqualTo(stream);
    }

    /**
     * The filter reads a chunk's own array: a chunk that is a view into a larger one (as Netty's
     * slices are) must be read within its bounds only. The bytes around it would end an event or
     * complete a usage key if they were read.
     */
    @Test
    void readsAChunkThatIsAViewIntoALargerArrayWithinItsBounds() {
        byte[] around = bytes("\"usage\":{}\n\n");
        java.util.function.Function<byte[], Buffer> view = chunk -> {
            byte[] larger = new byte[around.length + chunk.length + around.length];
            System.arraycopy(around, 0, larger, 0, around.length);
            System.arraycopy(chunk, 0, larger, around.length, chunk.length);
            System.arraycopy(around, 0, larger, around.length + chunk.length, around.length);
            return BufferInternal.buffer(Unpooled.wrappedBuffer(larger, around.length, chunk.length)); // an array offset
        };
        byte[] stream = bytes(STREAM);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(run(view, Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(stream, cut, stream.length)))
                    .as("cut at byte %d", cut).isEqualTo(FILTERED);
        }
        assertThat(run(view, bytes(ROLE + CONTENT))).isEqualTo(ROLE + CONTENT);
    }

    @Test
    void readsADirectBufferThatHasNoArray() {
        java.util.function.Function<byte[], Buffer> direct =
                chunk -> BufferInternal.buffer(Unpooled.directBuffer(chunk.length).writeBytes(chunk));

        assertThat(run(direct, bytes(STREAM))).isEqualTo(FILTERED);
        assertThat(run(direct, bytes(ROLE), bytes(CONTENT + USAGE_ONLY), bytes(DONE))).isEqualTo(ROLE + CONTENT + DONE);
    }
}
