package dev.gantry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How steadily this machine runs a thread that has nothing to wait for but a timer. A thread sleeps
 * 1 ms at a time, on an idle machine, and every wake-up more than {@link #STALL_NANOS} late is a
 * stall: time the machine itself took (the hypervisor, a kernel thread), which any process, direct
 * or through a gateway, may lose at any moment.
 *
 * <p>Why it is in the report: a p99 at a fixed rate is the slowest hundredth of requests, and
 * stalls that come a few times a second decide it. On 2026-12-07's host a kernel thread monitoring
 * memory (kdamond, DAMON, with a 500 ms sampling interval) stalled the machine every ~512 ms, and
 * the requests caught behind each stall were more than the hundredth. So the report says how often
 * the machine stalled, and whether DAMON ran and how often it samples.
 */
final class HostCheck {
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Path DAMON = Path.of("/sys/kernel/mm/damon/admin/kdamonds");

    /**
     * @param wakeUps     how many 1 ms sleeps were timed
     * @param stallsAtNs  when each stall began, ns since the check started
     * @param stallsNs    how late each stalled wake-up was, ns
     */
    record Result(long wakeUps, double seconds, List<Long> stallsAtNs, List<Long> stallsNs) {
        /** Median time between the starts of consecutive stalls, ms; NaN with fewer than two. */
        double medianIntervalMs() {
            if (stallsAtNs.size() < 2) return Double.NaN;
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < stallsAtNs.size(); i++) gaps.add(stallsAtNs.get(i) - stallsAtNs.get(i - 1));
            return Report.medianMs(gaps);
        }

        long longestNs() {
            return stallsNs.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        String describe() {
            if (stallsNs.isEmpty()) {
                return String.format(Locale.ROOT, "no wake-up of %,d was more than 2 ms late", wakeUps);
            }
            double interval = medianIntervalMs();
            return String.format(Locale.ROOT, "%d of %,d wake-ups more than 2 ms late (%.1f a second%s), the worst %s late",
                    stallsNs.size(), wakeUps, stallsNs.size() / seconds,
                    Double.isNaN(interval) ? "" : String.format(Locale.ROOT, ", median %.0f ms apart", interval),
                    Report.msText(longestNs() / 1e6));
        }
    }

    private HostCheck() {}

    /** Sleeps 1 ms at a time for {@code millis} and collects the stalls. Run it on an idle machine. */
    static Result run(long millis) {
        List<Long> at = new ArrayList<>();
        List<Long> late = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
        long wakeUps = 0;
        long now = start;
        while (now - end < 0) {
            long before = now;
            LockSupport.parkNanos(SLEEP_NANOS);
            now = System.nanoTime();
            wakeUps++;
            long overslept = now - before - SLEEP_NANOS;
            if (overslept > STALL_NANOS) {
                at.add(before - start);
                late.add(overslept);
            }
        }
        return new Result(wakeUps, (now - start) / 1e9, at, late);
    }

    /**
     * DAMON's monitors running on this machine, each with its sampling interval, e.g. "kdamond 0
     * (pid 83) samples every 500 ms, all physical memory, scheme action pageout"; empty if none
     * runs or it cannot be read.
     */
    static List<String> damonMonitors() {
        List<String> out = new ArrayList<>();
        try (var kdamonds = Files.list(DAMON)) {
            for (Path k : (Iterable<Path>) kdamonds.sorted()::iterator) {
                if (!Files.isDirectory(k) || !"on".equals(read(k.resolve("state")))) continue;
                StringBuilder line = new StringBuilder("kdamond " + k.getFileName() + " (pid " + read(k.resolve("pid")) + ")");
                Path context = k.resolve("contexts/0");
                String sampleUs = read(context.resolve("monitoring_attrs/intervals/sample_us"));
                if (!sampleUs.isEmpty()) {
                    line.append(String.format(Locale.ROOT, " samples every %s ms", Report.num(Long.parseLong(sampleUs) / 1000.0)));
                }
                String ops = read(context.resolve("operations"));
                if (!ops.isEmpty()) line.append(", ").append(ops.equals("paddr") ? "all physical memory" : ops);
                String action = read(context.resolve("schemes/0/action"));
                if (!action.isEmpty()) line.append(", scheme action ").append(action);
                out.add(line.toString());
            }
        } catch (IOException | RuntimeException e) {
            // no DAMON, or not Linux
        }
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
