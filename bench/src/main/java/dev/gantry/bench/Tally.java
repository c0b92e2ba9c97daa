package dev.gantry.bench;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one phase counted, written from every event loop: successes, failures by kind, and the
 * latency and time-to-first-token distributions of the successes (nanoseconds), and when the slow
 * ones were due.
 */
final class Tally {
    private final LongAdder ok = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(3);
    private final Recorder ttft = new Recorder(3);
    /** Fixed rate only (see {@link #withSlowRequests()}): under a closed loop nearly every request is "slow". */
    private final Queue<Long> slowDue;

    Tally() {
        this(false);
    }

    private Tally(boolean keepsSlow) {
        slowDue = keepsSlow ? new ConcurrentLinkedQueue<>() : null;
    }

    /** A tally that also keeps when each slow success was due ({@link #slowDue()}), for fixed-rate runs. */
    static Tally withSlowRequests() {
        return new Tally(true);
    }

    /** Counts a finished call; {@code inWindow} false for a success that ended after the measured window. */
    void add(Call call, boolean inWindow) {
        if (!call.ok()) {
            error(call.error);
            return;
        }
        if (!inWindow) return;
        ok.increment();
        latency.recordValue(Math.max(0, call.latencyNanos()));
        if (slowDue != null && call.latencyNanos() > SlowBursts.SLOW_NANOS) slowDue.add(call.scheduledNanos);
        long t = call.ttftNanos();
        if (t >= 0) ttft.recordValue(t);
    }

    void error(String kind) {
        errors.increment();
        errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    long ok() {
        return ok.sum();
    }

    long errors() {
        return errors.sum();
    }

    /** Error kinds and their counts, sorted by kind. */
    Map<String, Long> errorKinds() {
        Map<String, Long> out = new TreeMap<>();
        errorKinds.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Takes the latency histogram; call once, at the end. */
    Histogram latency() {
        return latency.getIntervalHistogram();
    }

    /** When each success slower than {@link SlowBursts#SLOW_NANOS} was due; empty unless {@link #withSlowRequests()}. */
    List<Long> slowDue() {
        return slowDue == null ? List.of() : List.copyOf(slowDue);
    }

    /** Takes the time-to-first-token histogram; call once, at the end. */
    Histogram ttft() {
        return ttft.getIntervalHistogram();
    }
}
