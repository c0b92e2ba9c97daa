package dev.gantry.store.spool;

import dev.gantry.usage.UsageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A local append-only log of usage records, so that a record survives the process being killed
 * between the client's answer and the database insert.
 *
 * <p>Design: records are appended to numbered segment files ({@code spool-000001.log}...) as JSON
 * lines by one writer thread, which calls {@link #force} once per group of records (group commit:
 * one fsync covers every request that arrived meanwhile). A checkpoint file names the segment and
 * offset up to which records are known to be in the database; the store thread moves it after
 * each insert and deletes segments wholly behind it. On start-up, {@link #replay} hands over every
 * record after the checkpoint. Records are replayed at least once; the database's request-id key
 * makes the ledger see each exactly once. A torn last line (killed mid-write) is skipped.
 *
 * <p>Each segment is filled with zeros when it is created, and records overwrite them: an
 * fdatasync of a file that grows must also write its inode (the new size and blocks), one more
 * disk write on every sync; over blocks already written it writes only the data (on this
 * machine's ext4, 87 us against 121 us median, and every answer waits for one). Replay stops where
 * the zeros begin.
 * A lock file keeps two processes from sharing a spool directory.
 */
public final class UsageSpool implements AutoCloseable {
    /** Where a record ends in the spool: its segment, and the offset just past its line. */
    public record Position(long segment, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position o) {
            return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
        }
    }

    private static final long SEGMENT_BYTES = 16L << 20;
    private static final int ZEROS_PER_WRITE = 1 << 20;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel segment;
    private long segmentNumber;
    private long segmentSize;

    private UsageSpool(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public static UsageSpool open(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel lockChannel = FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock(); // null: another process holds it
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw new IllegalStateException("the usage spool " + dir + " is in use by another gantry process");
            }
            return new UsageSpool(dir, lockChannel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the usage spool " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands every record after the checkpoint to {@code store} in batches, then moves the
     * checkpoint past them and deletes the replayed segments. Call once, before appending.
     *
     * @return how many records were replayed
     */
    public long replay(int batchSize, Consumer<List<UsageRecord>> store) {
        Position from = checkpoint();
        long replayed = 0;
        Position end = from;
        for (long n : segments()) {
            if (n < from.segment()) continue;
            Path file = segmentFile(n);
            long skip = n == from.segment() ? from.offset() : 0;
            byte[] data;
            try {
                data = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replay " + file + ": " + e.getMessage(), e);
            }
            var batch = new ArrayList<UsageRecord>(batchSize);
            int lineStart = (int) Math.min(skip, data.length);
            // up to the first zero byte, where the segment's unwritten rest begins; a last line without
            // its newline is a write the kill cut short (its answer never went out) and is left out
            for (int i = lineStart; i < data.length && data[i] != 0; i++) {
                if (data[i] != '\n') continue;
                UsageRecord r = SpoolCodec.decode(new String(data, lineStart, i - lineStart, StandardCharsets.UTF_8));
                lineStart = i + 1;
                if (r == null) continue; // a torn line from a write the kill cut short
                batch.add(r);
                if (batch.size() == batchSize) {
                    store.accept(batch);
                    replayed += batch.size();
                    batch = new ArrayList<>(batchSize);
                }
            }
            if (!batch.isEmpty()) {
                store.accept(batch);
                replayed += batch.size();
            }
            end = new Position(n, lineStart);
        }
        checkpoint(end);
        return replayed;
    }

    /**
     * Appends records (not yet durable: call {@link #force}) in one gathering write for the whole
     * group. Returns the position after each. Writer thread only.
     */
    public List<Position> append(List<byte[]> lines) {
        try {
            if (segment == null || segmentSize >= SEGMENT_BYTES) roll();
            var buffers = new ByteBuffer[lines.size()];
            var positions = new ArrayList<Position>(lines.size());
            long end = segmentSize;
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.wrap(lines.get(i));
                end += buffers[i].remaining();
                positions.add(new Position(segmentNumber, end));
            }
            while (segmentSize < end) segmentSize += segment.write(buffers);
            return positions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the usage spool: " + e.getMessage(), e);
        }
    }

    public static byte[] encode(UsageRecord record) { return SpoolCodec.encode(record); }

    /** Makes everything appended so far survive a crash (fdatasync). Writer thread only. */
    public void force() {
        try {
            if (segment != null) segment.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the usage spool: " + e.getMessage(), e);
        }
    }

    /** Records up to {@code stored} are in the database: move the checkpoint, drop old segments. */
    public void checkpoint(Position stored) {
        try {
            Path tmp = dir.resolve("checkpoint.tmp");
            Files.writeString(tmp, stored.segment() + " " + stored.offset());
            Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (long n : segments()) {
                if (n < stored.segment()) Files.deleteIfExists(segmentFile(n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the usage spool checkpoint: " + e.getMessage(), e);
        }
    }

    private Position checkpoint() {
        try {
            Path file = dir.resolve("checkpoint");
            if (!Files.exists(file)) return new Position(0, 0);
            String[] parts = Files.readString(file).trim().split(" ");
            return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException e) {
            return new Position(0, 0); // unreadable: replay everything; duplicates are skipped
        }
    }

    private void roll() throws IOException {
        if (segment != null) {
            segment.force(false);
            segment.close();
        }
        List<Long> existing = segments();
        segmentNumber = existing.isEmpty() ? 1 : existing.getLast() + 1;
        segment = FileChannel.open(segmentFile(segmentNumber), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        fillWithZeros(segment);
        segmentSize = 0;
    }

    /** Writes the segment's blocks once, and syncs them with its size, before any record goes in. */
    private static void fillWithZeros(FileChannel channel) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(ZEROS_PER_WRITE);
        for (long at = 0; at < SEGMENT_BYTES; at += ZEROS_PER_WRITE) {
            zeros.clear();
            while (zeros.hasRemaining()) channel.write(zeros, at + zeros.position());
        }
        channel.force(true);
    }

    private List<Long> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("spool-\\d+\\.log"))
                    .map(n -> Long.parseLong(n.substring(6, n.length() - 4))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path segmentFile(long n) { return dir.resolve("spool-%06d.log".formatted(n)); }

    @Override
    public void close() {
        try {
            if (segment != null) {
                segment.force(false);
                segment.close();
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
