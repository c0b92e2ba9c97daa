package dev.gantry.store.spool;

import dev.gantry.usage.UsageRecord;
import java.util.Arrays;

/**
 * Usage records encoded as spool lines, one after another in one array, for
 * {@link UsageSpool#append} to write at once: an event loop encodes its turn's records here, with
 * no array per record and no copy to join them.
 */
public final class SpoolLines {
    /** Room per record: a line is 300 to 400 bytes unless a client sent a long model name. */
    private static final int LINE_BYTES = 512;

    private byte[] bytes;
    private int length;
    private int[] ends;
    private int count;

    public SpoolLines(int records) {
        bytes = new byte[Math.max(1, records) * LINE_BYTES];
        ends = new int[Math.max(1, records)];
    }

    public void add(UsageRecord record) {
        SpoolCodec.encode(record, this);
        if (count == ends.length) ends = Arrays.copyOf(ends, 2 * count);
        ends[count++] = length;
    }

    public int count() { return count; }

    public boolean isEmpty() { return count == 0; }

    /** Where the {@code i}th line ends, counted from the first line's start. */
    int end(int i) { return ends[i]; }

    byte[] bytes() { return bytes; }

    int length() { return length; }

    void put(byte b) {
        if (length == bytes.length) grow(1);
        bytes[length++] = b;
    }

    void put(byte[] b) {
        if (length + b.length > bytes.length) grow(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
    }

    /** ASCII text, one byte per character. */
    void putAscii(String s) {
        int n = s.length();
        if (length + n > bytes.length) grow(n);
        for (int i = 0; i < n; i++) bytes[length++] = (byte) s.charAt(i);
    }

    void putLong(long v) {
        if (v == Long.MIN_VALUE) { // has no positive counterpart
            putAscii(Long.toString(v));
            return;
        }
        if (length + 20 > bytes.length) grow(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest > 0; rest /= 10) digits++;
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
    }

    private void grow(int needed) {
        bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + needed));
    }
}
