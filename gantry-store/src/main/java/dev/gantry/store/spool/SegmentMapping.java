package dev.gantry.store.spool;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A spool segment's file mapped shared into memory, that can be released at once. Java's classic
 * {@link FileChannel#map} mapping lasts until the garbage collector finds its buffer unreachable,
 * and a segment's buffer lives long enough to be promoted: the mappings of deleted segments (their
 * disk blocks, their pages) would wait for a full collection, which this gateway's heap settings
 * keep rare. So:
 * <ul>
 *   <li>on Java 22 and newer, the file is mapped in a shared {@link java.lang.foreign.Arena}, and
 *       closing the arena unmaps it; an access after that fails with an exception;</li>
 *   <li>on Java 21, where that API is a preview, the classic mapping is released with
 *       {@code sun.misc.Unsafe.invokeCleaner}, as Netty and Kafka do (deprecated from Java 23 on,
 *       hence not used there);</li>
 *   <li>where neither can run, there is no mapping ({@link #open} returns null) and the spool
 *       writes through its file channel.</li>
 * </ul>
 * Both are found by reflection: the build targets Java 21, where the first is not final yet.
 */
final class SegmentMapping {
    private static final Mapper MAPPER = Mapper.find();

    private final ByteBuffer buffer;
    private final Runnable release;

    private SegmentMapping(ByteBuffer buffer, Runnable release) {
        this.buffer = buffer;
        this.release = release;
    }

    /** Maps the first {@code bytes} of {@code channel} (open for reading and writing); null where mappings cannot be released. */
    static SegmentMapping open(FileChannel channel, long bytes) throws IOException {
        return MAPPER == null ? null : MAPPER.map(channel, bytes);
    }

    /** Copies {@code length} bytes into the file at {@code offset}; safe from several threads for disjoint ranges. */
    void put(long offset, byte[] bytes, int length) {
        buffer.put((int) offset, bytes, 0, length);
    }

    /** Unmaps the file; no write may be under way or come after. */
    void release() {
        release.run();
    }

    /** How this JVM maps and releases. */
    private interface Mapper {
        SegmentMapping map(FileChannel channel, long bytes) throws IOException;

        static Mapper find() {
            try {
                return Runtime.version().feature() >= 22 ? arenas() : cleaner();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        private static Mapper arenas() throws ReflectiveOperationException {
            var lookup = MethodHandles.publicLookup();
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            MethodHandle ofShared = lookup.findStatic(arenaClass, "ofShared", MethodType.methodType(arenaClass));
            MethodHandle close = lookup.findVirtual(arenaClass, "close", MethodType.methodType(void.class));
            MethodHandle map = lookup.findVirtual(FileChannel.class, "map",
                    MethodType.methodType(segmentClass, FileChannel.MapMode.class, long.class, long.class, arenaClass));
            MethodHandle asByteBuffer = lookup.findVirtual(segmentClass, "asByteBuffer", MethodType.methodType(ByteBuffer.class));
            return (channel, bytes) -> {
                try {
                    Object arena = ofShared.invoke();
                    try {
                        ByteBuffer buffer = (ByteBuffer) asByteBuffer.invoke(map.invoke(channel, FileChannel.MapMode.READ_WRITE, 0L, bytes, arena));
                        return new SegmentMapping(buffer, () -> invoke(close, arena));
                    } catch (Throwable t) {
                        close.invoke(arena);
                        throw t;
                    }
                } catch (IOException | RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IOException("cannot map a usage spool segment", t);
                }
            };
        }

        private static Mapper cleaner() throws ReflectiveOperationException {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            MethodHandle invokeCleaner = MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class)).bindTo(theUnsafe.get(null));
            return (channel, bytes) -> {
                MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
                return new SegmentMapping(buffer, () -> invoke(invokeCleaner, buffer));
            };
        }

        private static void invoke(MethodHandle handle, Object argument) {
            try {
                handle.invoke(argument);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("cannot unmap a usage spool segment", t);
            }
        }
    }
}
