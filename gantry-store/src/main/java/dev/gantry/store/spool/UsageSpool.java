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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A local append-only log of usage records, so that a record survives the process being killed
 * between the client's answer and the database insert.
 *
 * <p>Design: records are appended to numbered segment files ({@code spool-000001.log}...) as JSON
 * lines. Appends may come from several threads at once (the event loops write their requests'
 * records themselves): each reserves its bytes under a short lock, then writes them at that offset
 * outside it. A record is safe from a crash of the process once written (the operating system
 * holds it), and from a crash of the machine once someone has called {@link #force}: per group of
 * records (group commit: one fsync covers every request that arrived meanwhile) or per interval,
 * as the gateway's durability setting says. A checkpoint file names the segment and offset up to
 * which records are known to be in the database; the store thread moves it after each insert and
 * deletes segments wholly behind it. On start-up, {@link #replay} hands over every record after
 * the checkpoint. Records are replayed at least once; the database's request-id key makes the
 * ledger see each exactly once.
 *
 * <p>Each segment is filled with zeros when it is created, and records overwrite them: an
 * fdatasync of a file that grows must also write its inode (the new size and blocks), one more
 * disk write on every sync; over blocks already written it writes only the data (on this
 * machine's ext4, 87 us against 121 us median). Zeros are also how replay tells written bytes
 * from unwritten ones: a kill can leave a record torn (written in part) or missing (reserved, not
 * yet written) before records that were written whole, so replay skips runs of zeros and the
 * torn line before one, and reads on. Filling 16 MB takes tens of milliseconds, too long for an
 * event loop: {@link #prepareNextSegment} makes the next segment ahead of need, off the request path.
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

    /** A segment file and the appends still writing to it, so that it is closed only once they are done. */
    private static final class Segment {
        final long number;
        final FileChannel channel;
        final AtomicInteger writing = new AtomicInteger();
        long reserved;

        Segment(long number, FileChannel channel) {
            this.number = number;
            this.channel = channel;
        }
    }

    private static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
    /**
     * Zeros go in 16 KB at a time: the page cache keeps a file's pages in pieces ("folios") as large
     * as the write that made them (ext4 on recent kernels, Linux 6.18 here), and every later write
     * into a piece walks all its 4 KB blocks. Filled 1 MB at a time, a 330-byte record cost 4.6 us to write on this
     * machine; 16 KB at a time, 2.2 us, as with 4 KB.
     */
    private static final int ZEROS_PER_WRITE = 16 << 10;

    private final Path dir;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Object appendLock = new Object();
    /** Guarded by appendLock. */
    private Segment current;
    /** Guarded by appendLock: made ahead of need, taken when the current segment is full. */
    private Segment prepared;
    /** Guarded by appendLock: full segments whose last records may still be writing or unsynced. */
    private final List<Segment> retired = new ArrayList<>();
    /** Guarded by appendLock: the highest segment number made so far, by this process or an earlier one. */
    private long lastNumber;
    /**
     * Segments below this number are deleted: the checkpoint lists the directory only when it moves
     * past it, once per segment rather than after every batch. Touched by the checkpoint's caller only.
     */
    private long deletedBelow = Long.MIN_VALUE;

    private UsageSpool(Path dir, long segmentBytes, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        List<Long> existing = segments();
        this.lastNumber = existing.isEmpty() ? 0 : existing.getLast();
    }

    public static UsageSpool open(Path dir) { return open(dir, DEFAULT_SEGMENT_BYTES); }

    /** With segments of the given size: small ones let a test fill several. */
    static UsageSpool open(Path dir, long segmentBytes) {
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
            return new UsageSpool(dir, segmentBytes, lockChannel, lock);
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
            int lastLineEnd = lineStart;
            for (int i = lineStart; i < data.length; i++) {
                if (data[i] == 0) {
                    // unwritten bytes: the segment's unused rest, or a record a kill stopped; what
                    // precedes them since the last newline is a torn write whose answer never went out
                    lineStart = i + 1;
                    continue;
                }
                if (data[i] != '\n') continue;
                UsageRecord r = SpoolCodec.decode(new String(data, lineStart, i - lineStart, StandardCharsets.UTF_8));
                lineStart = i + 1;
                lastLineEnd = lineStart;
                if (r == null) continue; // a line a kill cut short and a later write ended
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
            end = new Position(n, lastLineEnd);
        }
        checkpoint(end);
        return replayed;
    }

    /**
     * Appends records in one write: reserves their bytes, tells {@code reserved} where each ends
     * while still holding the reservation lock (so that whoever collects positions there sees them
     * in file order, which the checkpoint relies on), then writes them. Safe from any thread; it
     * blocks only for the write to the operating system, unless the segment must be created on the
     * spot ({@link #prepareNextSegment} was not called in time).
     */
    public void append(SpoolLines lines, Consumer<List<Position>> reserved) {
        int length = lines.length();
        Segment segment;
        long offset;
        try {
            synchronized (appendLock) {
                if (current == null || current.reserved + length > segmentBytes) roll();
                segment = current;
                offset = segment.reserved;
                segment.reserved += length;
                segment.writing.incrementAndGet();
                var positions = new ArrayList<Position>(lines.count());
                for (int i = 0; i < lines.count(); i++) positions.add(new Position(segment.number, offset + lines.end(i)));
                reserved.accept(positions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a usage spool segment: " + e.getMessage(), e);
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(lines.bytes(), 0, length);
            while (buffer.hasRemaining()) segment.channel.write(buffer, offset + buffer.position());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the usage spool: " + e.getMessage(), e);
        } finally {
            segment.writing.decrementAndGet();
        }
    }

    /**
     * Creates and fills the next segment if the current one is half used, so that appends never
     * wait for that. Call from a background thread now and then.
     */
    public void prepareNextSegment() {
        long number;
        synchronized (appendLock) {
            if (prepared != null || current != null && current.reserved < segmentBytes / 2) return;
            number = ++lastNumber;
        }
        try {
            Segment next = create(number);
            synchronized (appendLock) {
                // an append that could not wait may have made a later segment meanwhile
                if (current == null || current.number < number) {
                    prepared = next;
                    return;
                }
            }
            next.channel.close();
            Files.deleteIfExists(segmentFile(number));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a usage spool segment: " + e.getMessage(), e);
        }
    }

    /**
     * Makes everything written so far survive a crash of the machine (fdatasync), and closes full
     * segments once their writes are done.
     */
    public void force() {
        List<Segment> full;
        Segment open;
        synchronized (appendLock) {
            full = new ArrayList<>(retired);
            open = current;
        }
        try {
            for (Segment segment : full) {
                // no append starts on a full segment; if none was writing before the sync, the
                // sync covered all its records and it can be closed
                boolean idle = segment.writing.get() == 0;
                segment.channel.force(false);
                if (!idle) continue;
                synchronized (appendLock) {
                    retired.remove(segment);
                }
                segment.channel.close();
            }
            if (open != null) open.channel.force(false);
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
            if (stored.segment() <= deletedBelow) return;
            for (long n : segments()) {
                if (n < stored.segment()) Files.deleteIfExists(segmentFile(n));
            }
            deletedBelow = stored.segment();
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

    /** Under appendLock: moves on to the prepared segment, or makes one now. */
    private void roll() throws IOException {
        if (current != null) retired.add(current);
        current = prepared != null ? prepared : create(++lastNumber);
        prepared = null;
    }

    private Segment create(long number) throws IOException {
        var channel = FileChannel.open(segmentFile(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            fillWithZeros(channel, segmentBytes);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new Segment(number, channel);
    }

    /** Writes the segment's blocks once, and syncs them with its size, before any record goes in. */
    private static void fillWithZeros(FileChannel channel, long bytes) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZEROS_PER_WRITE, bytes));
        for (long at = 0; at < bytes; at += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
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

    /** Syncs and closes the segments; appends must have stopped. */
    @Override
    public void close() {
        try {
            force();
            synchronized (appendLock) {
                for (Segment segment : retired) segment.channel.close();
                if (current != null) current.channel.close();
                if (prepared != null) prepared.channel.close();
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
