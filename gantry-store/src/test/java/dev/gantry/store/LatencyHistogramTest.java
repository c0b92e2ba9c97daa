package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketEdgesAreExactAndLogSpaced() {
        assertThat(LatencyHistogram.bucket(0)).isZero();
        assertThat(LatencyHistogram.bucket(-5)).isZero();
        assertThat(LatencyHistogram.bucket(1)).isEqualTo(1);
        // bucket i starts at 2^(2(i-1)/3): 2^(2/3) = 1.59, 2^(4/3) = 2.52, 2^2 = 4 exactly
        assertThat(LatencyHistogram.bucket(2)).isEqualTo(2);
        assertThat(LatencyHistogram.bucket(3)).isEqualTo(3);
        assertThat(LatencyHistogram.bucket(4)).isEqualTo(4);
        assertThat(LatencyHistogram.bucket(15)).isEqualTo(6);
        assertThat(LatencyHistogram.bucket(16)).isEqualTo(7);
        for (long ms = 1; ms < 700_000; ms += 1 + ms / 50) {
            int b = LatencyHistogram.bucket(ms);
            assertThat((double) ms).as("%d ms in bucket %d", ms, b).isGreaterThanOrEqualTo(LatencyHistogram.lowerEdge(b) - 1e-9);
            if (b < LatencyHistogram.BUCKETS - 1) assertThat((double) ms).isLessThan(LatencyHistogram.upperEdge(b));
        }
        assertThat(LatencyHistogram.bucket(600_000)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void percentilesOfKnownDistributionsAreWithinABucket() {
        var h = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) h.add(ms);
        assertThat((double) h.percentile(0.5)).isCloseTo(500, within(500 * 0.3));
        assertThat((double) h.percentile(0.95)).isCloseTo(950, within(950 * 0.3));
        assertThat(h.total()).isEqualTo(1000);

        var constant = new LatencyHistogram();
        for (int i = 0; i < 100; i++) constant.add(250);
        int b = LatencyHistogram.bucket(250);
        assertThat((double) constant.percentile(0.5)).isBetween(LatencyHistogram.lowerEdge(b), LatencyHistogram.upperEdge(b));
        assertThat(new LatencyHistogram().percentile(0.5)).isEqualTo(-1);
    }

    @Test
    void mergedHistogramsGiveThePercentileOfTheUnion() {
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (int i = 0; i < 90; i++) fast.add(10);
        for (int i = 0; i < 10; i++) slow.add(5_000);
        fast.add(slow);
        assertThat(fast.percentile(0.5)).isBetween(6L, 16L);
        assertThat(fast.percentile(0.95)).isBetween(3_000L, 8_000L);
    }
}
