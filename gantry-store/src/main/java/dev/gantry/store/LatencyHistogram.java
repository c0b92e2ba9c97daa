package dev.gantry.store;

import java.util.Arrays;

/**
 * Counts of durations in 30 log-spaced buckets, about 1.59 apart, from 1 ms to ~10 minutes: what the
 * roll-ups keep of latencies so that a percentile over any range comes from summing counts. Bucket 0
 * holds 0 ms; bucket i (1..29) holds [2^(2(i-1)/3), 2^(2i/3)) ms; the last also everything longer.
 * A percentile is interpolated within its bucket, so it is off by at most a bucket's width (~59 %),
 * usually far less. Not thread-safe.
 */
public final class LatencyHistogram {
    public static final int BUCKETS = 30;
    /** Past this the cube below would overflow; such durations land in the last bucket anyway. */
    private static final long CAP_MS = 1L << 20;

    private final long[] counts;

    public LatencyHistogram() { this.counts = new long[BUCKETS]; }

    private LatencyHistogram(long[] counts) { this.counts = counts; }

    public static LatencyHistogram of(long... counts) {
        if (counts.length != BUCKETS) throw new IllegalArgumentException("a histogram has " + BUCKETS + " buckets");
        return new LatencyHistogram(counts.clone());
    }

    /** Integer arithmetic on ms³ so that bucket edges are exact: floor(log2(ms³) / 2) + 1. */
    public static int bucket(long millis) {
        if (millis < 1) return 0;
        long m = Math.min(millis, CAP_MS);
        int log2OfCube = 63 - Long.numberOfLeadingZeros(m * m * m);
        return Math.min(BUCKETS - 1, log2OfCube / 2 + 1);
    }

    /** The lower edge of a bucket in milliseconds. */
    public static double lowerEdge(int bucket) { return bucket == 0 ? 0 : Math.pow(2, 2.0 * (bucket - 1) / 3); }

    public static double upperEdge(int bucket) { return bucket == 0 ? 1 : Math.pow(2, 2.0 * bucket / 3); }

    public void add(long millis) { counts[bucket(millis)]++; }

    public void add(int bucket, long count) { counts[bucket] += count; }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) counts[i] += other.counts[i];
    }

    public long count(int bucket) { return counts[bucket]; }

    public long total() { return Arrays.stream(counts).sum(); }

    /**
     * The duration below which {@code quantile} of the counts fall (0.5 for the median), in whole
     * milliseconds, or -1 when empty. Interpolated linearly within the bucket it falls in.
     */
    public long percentile(double quantile) {
        long total = total();
        if (total == 0) return -1;
        double rank = quantile * total;
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] == 0) continue;
            if (seen + counts[i] >= rank) {
                double within = (rank - seen) / counts[i];
                return Math.round(lowerEdge(i) + within * (upperEdge(i) - lowerEdge(i)));
            }
            seen += counts[i];
        }
        return Math.round(upperEdge(BUCKETS - 1));
    }

    @Override
    public boolean equals(Object o) { return o instanceof LatencyHistogram h && Arrays.equals(counts, h.counts); }

    @Override
    public int hashCode() { return Arrays.hashCode(counts); }

    @Override
    public String toString() { return Arrays.toString(counts); }
}
