package dev.gantry.store.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.store.spool.UsageSpool.Position;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage spool: what a restart replays, and what it must not. */
class UsageSpoolTest {
    @TempDir
    Path dir;

    static UsageRecord record(String id, String model) {
        return new UsageRecord(id, Instant.parse("2025-06-01T10:00:00Z"), "key-1", "chat_completions", model, model,
                "fleet/" + model, new TokenUsage(100, 20, 5, false), 1_234, 200, Outcome.OK, 250, 40, true);
    }

    static List<UsageRecord> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> record("req-" + i, "qwen3-coder")).toList();
    }

    /** Appends and syncs in a spool opened and closed for the purpose, as a run of the gateway would. */
    private List<Position> appendInOneRun(List<UsageRecord> records) {
        try (UsageSpool spool = UsageSpool.open(dir)) {
            List<Position> positions = append(spool, records);
            spool.force();
            return positions;
        }
    }

    /** Appends the records as one group; returns where each ends. */
    private static List<Position> append(UsageSpool spool, List<UsageRecord> records) {
        var positions = new ArrayList<Position>();
        spool.append(lines(records), positions::addAll);
        return positions;
    }

    static SpoolLines lines(List<UsageRecord> records) {
        var lines = new SpoolLines(records.size());
        records.forEach(lines::add);
        return lines;
    }

    /** One record's line, as the spool writes it. */
    static byte[] line(UsageRecord record) {
        var lines = lines(List.of(record));
        return Arrays.copyOf(lines.bytes(), lines.length());
    }

    /** What a restart would replay. */
    private List<UsageRecord> replay() {
        var replayed = new ArrayList<UsageRecord>();
        try (UsageSpool spool = UsageSpool.open(dir)) {
            long count = spool.replay(100, replayed::addAll);
            assertThat(count).isEqualTo(replayed.size());
        }
        return replayed;
    }

    /** Writes bytes where a segment's records end, as a write the kill cut short would leave them. */
    private void writeAtTheEndOfTheRecords(String segment, byte[] bytes) throws IOException {
        byte[] data = Files.readAllBytes(dir.resolve(segment));
        int end = 0;
        while (end < data.length && data[end] != 0) end++;
        try (var channel = java.nio.channels.FileChannel.open(dir.resolve(segment), StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes), end);
        }
    }

    private List<String> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("spool-")).sorted().toList();
        }
    }

    @Test
    void replayReturnsEveryAppendedRecordOnceInOrder() {
        List<UsageRecord> written = records(5);
        appendInOneRun(written);

        assertThat(replay()).containsExactlyElementsOf(written);
    }

    @Test
    void replayHandsRecordsOverInBatchesOfTheGivenSize() {
        appendInOneRun(records(5));
        var batchSizes = new ArrayList<Integer>();

        try (UsageSpool spool = UsageSpool.open(dir)) {
            assertThat(spool.replay(2, batch -> batchSizes.add(batch.size()))).isEqualTo(5);
        }

        assertThat(batchSizes).containsExactly(2, 2, 1);
    }

    @Test
    void replayedRecordsAreNotReplayedAgain() {
        appendInOneRun(records(3));
        replay();

        assertThat(replay()).isEmpty();
    }

    @Test
    void anEmptySpoolReplaysNothing() {
        assertThat(replay()).isEmpty();
    }

    @Test
    void theUserAndTeamOfARecordAreReplayed() {
        var withOwner = new UsageRecord("owned", Instant.parse("2025-06-01T10:00:00Z"), "key-1", "usr_1", "team_1",
                "chat_completions", "m", "m", "fleet/m", new TokenUsage(1, 2, 0, false), 3, 200, Outcome.OK, 4, -1, false);
        List<UsageRecord> written = List.of(withOwner, record("legacy", "m"));
        appendInOneRun(written);

        assertThat(replay()).containsExactlyElementsOf(written);
    }

    @Test
    void positionsAreTheByteOffsetsJustPastEachLine() {
        List<UsageRecord> written = List.of(record("a", "qwen3-coder"), record("b", "модель-ü"));
        List<Position> positions = appendInOneRun(written);

        long first = line(written.get(0)).length;
        long second = line(written.get(1)).length;
        assertThat(positions).containsExactly(new Position(1, first), new Position(1, first + second));
    }

    @Test
    void replaySkipsWhatIsBehindTheCheckpoint() {
        List<UsageRecord> written = records(4);
        try (UsageSpool spool = UsageSpool.open(dir)) {
            List<Position> positions = append(spool, written);
            spool.force();
            spool.checkpoint(positions.get(1));
        }

        assertThat(replay()).containsExactlyElementsOf(written.subList(2, 4));
    }

    @Test
    void nonAsciiTextBeforeTheCheckpointDoesNotShiftTheReplayPosition() {
        List<UsageRecord> stored = List.of(record("r1", "модель-ü"), record("r2", "模型-🚀"), record("r3", "модель-ü"));
        List<UsageRecord> pending = List.of(record("r4", "модель-ü"), record("r5", "plain"));
        try (UsageSpool spool = UsageSpool.open(dir)) {
            List<Position> positions = append(spool, stored);
            append(spool, pending);
            spool.force();
            spool.checkpoint(positions.getLast());
        }

        assertThat(replay()).containsExactlyElementsOf(pending);
    }

    @Test
    void aTornLastLineIsSkipped() throws IOException {
        List<UsageRecord> written = records(2);
        appendInOneRun(written);
        byte[] line = line(record("torn", "qwen3-coder"));
        writeAtTheEndOfTheRecords("spool-000001.log", Arrays.copyOf(line, line.length / 2));

        assertThat(replay()).containsExactlyElementsOf(written);
    }

    @Test
    void recordsAppendedAfterATornLineAreReplayed() throws IOException {
        appendInOneRun(records(1));
        byte[] line = line(record("torn", "qwen3-coder"));
        writeAtTheEndOfTheRecords("spool-000001.log", Arrays.copyOf(line, line.length / 2));
        replay();

        UsageRecord after = record("after-restart", "qwen3-coder");
        appendInOneRun(List.of(after));

        assertThat(replay()).containsExactly(after);
    }

    @Test
    void segmentsAreWrittenOnceWithZerosAndReplayStopsWhereTheRecordsEnd() throws IOException {
        List<UsageRecord> written = records(3);
        List<Position> positions = appendInOneRun(written);

        long size = Files.size(dir.resolve("spool-000001.log"));
        assertThat(size).as("preallocated, so that a sync need not write the file's size").isEqualTo(16L << 20);
        assertThat(positions.getLast().offset()).isLessThan(size);
        assertThat(replay()).containsExactlyElementsOf(written);
    }

    @Test
    void aSecondOpenWhileTheFirstIsOpenFailsWithAClearMessage() {
        try (UsageSpool first = UsageSpool.open(dir)) {
            assertThatThrownBy(() -> UsageSpool.open(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void theDirectoryCanBeOpenedAgainOnceClosed() {
        UsageSpool.open(dir).close();

        try (UsageSpool again = UsageSpool.open(dir)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void segmentsBehindTheCheckpointAreDeleted() throws IOException {
        appendInOneRun(records(2)); // segment 1
        replay();
        assertThat(segmentFiles()).containsExactly("spool-000001.log");

        try (UsageSpool spool = UsageSpool.open(dir)) {
            spool.replay(100, batch -> {});
            List<Position> positions = append(spool, List.of(record("next", "m")));
            assertThat(positions.getFirst().segment()).isEqualTo(2);
            spool.force();
            assertThat(segmentFiles()).containsExactly("spool-000001.log", "spool-000002.log");

            spool.checkpoint(positions.getFirst());
        }

        assertThat(segmentFiles()).containsExactly("spool-000002.log");
        assertThat(replay()).isEmpty();
    }

    @Test
    void eachSegmentIsDeletedOnceTheCheckpointPassesIt() throws IOException {
        int lineBytes = line(records(1).getFirst()).length; // as long as every line of records(n)
        try (UsageSpool spool = UsageSpool.open(dir, 2L * lineBytes)) {
            List<Position> first = append(spool, records(2)); // fills segment 1
            spool.checkpoint(first.get(0));
            spool.checkpoint(first.get(1));
            assertThat(segmentFiles()).containsExactly("spool-000001.log");

            List<Position> second = append(spool, records(2)); // segment 2
            spool.checkpoint(second.get(0));
            assertThat(segmentFiles()).containsExactly("spool-000002.log");

            List<Position> third = append(spool, records(1)); // segment 3
            spool.checkpoint(second.get(1)); // not past segment 2 yet
            assertThat(segmentFiles()).containsExactly("spool-000002.log", "spool-000003.log");
            spool.checkpoint(third.getFirst());
            assertThat(segmentFiles()).containsExactly("spool-000003.log");
        }
    }

    @Test
    void replayMovesTheCheckpointAndDeletesEveryWhollyReplayedSegmentButTheLast() throws IOException {
        List<UsageRecord> first = records(2);
        List<UsageRecord> second = List.of(record("later", "m"));
        appendInOneRun(first); // segment 1
        appendInOneRun(second); // segment 2

        assertThat(replay()).containsExactlyElementsOf(concat(first, second));
        assertThat(segmentFiles()).containsExactly("spool-000002.log");
        assertThat(new String(Files.readAllBytes(dir.resolve("checkpoint")), StandardCharsets.US_ASCII).trim())
                .isEqualTo("2 " + line(second.getFirst()).length);
    }

    @Test
    void recordsAppendedFromManyThreadsAtOnceAreAllReplayedAndTheirPositionsAreToldInFileOrder() throws Exception {
        int threads = 4;
        int each = 500;
        var told = new ArrayList<Position>(); // appended to under the spool's lock, as the recorder's queue is
        var start = new java.util.concurrent.CountDownLatch(1);
        try (UsageSpool spool = UsageSpool.open(dir, 64 << 10); var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            var done = new ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        if (i % 50 == 0) spool.prepareNextSegment();
                        spool.append(lines(List.of(record("t" + thread + "-" + i, "m"))), told::addAll);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var f : done) f.get();
            spool.force();
        }

        assertThat(told).hasSize(threads * each).isSorted();
        assertThat(segmentFiles()).as("64 KB segments").hasSizeGreaterThan(4);
        assertThat(replay()).extracting(UsageRecord::requestId).doesNotHaveDuplicates().hasSize(threads * each);
    }

    @Test
    void recordsWrittenAfterOneAKillLeftUnwrittenOrTornAreReplayed() throws IOException {
        // appends reserve their place first and write after: a kill can stop one that began before
        // others that finished, leaving zeros (not written at all) or part of a line before them
        List<UsageRecord> written = records(4);
        List<Position> positions = appendInOneRun(written);
        byte[] data = Files.readAllBytes(dir.resolve("spool-000001.log"));
        int secondStart = (int) positions.get(0).offset();
        int thirdStart = (int) positions.get(1).offset();
        int thirdEnd = (int) positions.get(2).offset();
        java.util.Arrays.fill(data, secondStart, thirdStart, (byte) 0); // the second never written
        java.util.Arrays.fill(data, thirdStart + (thirdEnd - thirdStart) / 2, thirdEnd, (byte) 0); // the third torn
        Files.write(dir.resolve("spool-000001.log"), data);

        assertThat(replay()).containsExactly(written.get(0), written.get(3));
    }

    @Test
    void aSegmentPreparedAheadIsTheOneTheNextAppendsGoTo() throws IOException {
        int lineBytes = line(records(1).getFirst()).length; // as long as every line of records(n)
        try (UsageSpool spool = UsageSpool.open(dir, 4L * lineBytes)) {
            spool.prepareNextSegment(); // none in use yet: made now, taken by the first append
            assertThat(segmentFiles()).containsExactly("spool-000001.log");
            assertThat(append(spool, records(2)).getLast().segment()).isEqualTo(1);

            spool.prepareNextSegment(); // half used: the next is made ahead of need
            assertThat(segmentFiles()).containsExactly("spool-000001.log", "spool-000002.log");
            assertThat(append(spool, records(3)).getLast()).isEqualTo(new Position(2, 3L * lineBytes));
        }
        assertThat(replay()).hasSize(5);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
