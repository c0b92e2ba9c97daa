package dev.gantry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How a fixed-rate run's slow requests were spread in time: alone, or in bursts of requests due one
 * after the other, all caught behind one stall. At 1,000 req/s the p99 is the 200th slowest of
 * 20,000; when the machine stalls twice a second for a few milliseconds, each stall makes a burst
 * of ten or more slow requests, and the bursts alone are more than a hundredth. Counting them per
 * path shows whether a gateway added stalls of its own (more bursts than direct), made each last
 * longer (bigger bursts), or neither; the median time between bursts names a periodic cause (see
 * {@link HostCheck}).
 */
final class SlowBursts {
    /** A request is slow above this, from its due time. */
    static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(3);
    /** Slow requests due at most this far apart belong to one burst. */
    private static final long GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(3);
    private static final int MIN_BURST = 5;

    private long slow;
    private long inBursts;
    private long bursts;
    /** Time between the starts of consecutive bursts of one run, ns. */
    private final List<Long> gaps = new ArrayList<>();

    /** Adds one run's slow requests, by due time ({@link System#nanoTime()}), in any order. */
    void add(List<Long> dueNanos) {
        List<Long> due = new ArrayList<>(dueNanos);
        due.sort(null);
        slow += due.size();
        Long previousStart = null;
        int i = 0;
        while (i < due.size()) {
            int j = i + 1;
            while (j < due.size() && due.get(j) - due.get(j - 1) <= GAP_NANOS) j++;
            if (j - i >= MIN_BURST) {
                bursts++;
                inBursts += j - i;
                if (previousStart != null) gaps.add(due.get(i) - previousStart);
                previousStart = due.get(i);
            }
            i = j;
        }
    }

    /** E.g. "703 over 3 ms, 78 % of them in 42 bursts of 5 or more, median 537 ms apart". */
    String describe() {
        if (slow == 0) return "no request over 3 ms";
        String text = String.format(Locale.ROOT, "%,d over 3 ms, %.0f %% of them in %d burst%s of %d or more",
                slow, 100.0 * inBursts / slow, bursts, bursts == 1 ? "" : "s", MIN_BURST);
        return gaps.isEmpty() ? text : text + String.format(Locale.ROOT, ", median %.0f ms apart", Report.medianMs(gaps));
    }
}
