package dev.gantry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One path's result in one scenario (all its rounds together).
 *
 * @param path       "direct", or what is measured in the gateway's place ("Gantry")
 * @param ok         successful answers in the measured windows
 * @param errors     failures (any status but 200, transport errors, truncated answers, no answer)
 * @param errorKinds failures by kind
 * @param seconds    measured time, all rounds together
 * @param latency    latency of the successes, ns (closed loop: from send; fixed rate: from due time)
 * @param ttft       time to first content token of the successful streams, ns (empty for JSON)
 * @param cpu        CPU used meanwhile, cores, averaged over the rounds
 * @param sendLag    fixed rate only: how late the load generator sent, ns; null otherwise
 * @param rounds     throughput of each round (closed loops), per second
 * @param roundsP99  latency p99 of each round, ns
 * @param slowBursts fixed rate only: how the slow requests were spread in time; null otherwise
 */
record PathResult(String path, long ok, long errors, Map<String, Long> errorKinds, double seconds, Histogram latency,
                  Histogram ttft, CpuMeter.Usage cpu, Histogram sendLag, List<Double> rounds, List<Long> roundsP99,
                  SlowBursts slowBursts) {

    double throughput() {
        return seconds <= 0 ? 0 : ok / seconds;
    }

    /** Accumulates rounds of one path. */
    static final class Builder {
        private final String path;
        private long ok;
        private long errors;
        private final Map<String, Long> errorKinds = new java.util.TreeMap<>();
        private double seconds;
        private final Histogram latency = new Histogram(3);
        private final Histogram ttft = new Histogram(3);
        private double gwCoreSeconds;
        private double simCoreSeconds;
        private double selfCoreSeconds;
        private double otherCoreSeconds;
        private double stealCoreSeconds;
        private boolean cpuMissing;
        private final java.util.Map<String, Double> threadCoreSeconds = new java.util.TreeMap<>();
        private Histogram sendLag;
        private SlowBursts slowBursts;
        private final List<Double> rounds = new ArrayList<>();
        private final List<Long> roundsP99 = new ArrayList<>();

        Builder(String path) {
            this.path = path;
        }

        Builder add(Tally tally, double roundSeconds, CpuMeter.Usage cpu) {
            long roundOk = tally.ok();
            ok += roundOk;
            errors += tally.errors();
            tally.errorKinds().forEach((k, v) -> errorKinds.merge(k, v, Long::sum));
            seconds += roundSeconds;
            Histogram roundLatency = tally.latency();
            latency.add(roundLatency);
            roundsP99.add(Report.percentile(roundLatency, 99));
            ttft.add(tally.ttft());
            if (cpu.gateway() < 0 || cpu.simulator() < 0 || cpu.loadGenerator() < 0 || cpu.others() < 0) cpuMissing = true;
            gwCoreSeconds += cpu.gateway() * cpu.seconds();
            simCoreSeconds += cpu.simulator() * cpu.seconds();
            selfCoreSeconds += cpu.loadGenerator() * cpu.seconds();
            otherCoreSeconds += cpu.others() * cpu.seconds();
            stealCoreSeconds += Math.max(0, cpu.steal()) * cpu.seconds();
            cpuSeconds += cpu.seconds();
            cpu.gatewayThreads().forEach((k, v) -> threadCoreSeconds.merge(k, v * cpu.seconds(), Double::sum));
            rounds.add(roundSeconds <= 0 ? 0 : roundOk / roundSeconds);
            return this;
        }

        private double cpuSeconds;

        /** The last round's latency p99, ns (-1 if it had no successes). */
        long lastRoundP99() {
            return roundsP99.isEmpty() ? -1 : roundsP99.getLast();
        }

        Builder sendLag(Histogram lag) {
            if (sendLag == null) sendLag = new Histogram(3);
            sendLag.add(lag);
            return this;
        }

        /** A fixed-rate round's slow requests, by due time ({@link Tally#slowDue()}). */
        Builder slowRequests(List<Long> dueNanos) {
            if (slowBursts == null) slowBursts = new SlowBursts();
            slowBursts.add(dueNanos);
            return this;
        }

        private java.util.Map<String, Double> threadShares() {
            java.util.Map<String, Double> out = new java.util.TreeMap<>();
            threadCoreSeconds.forEach((k, v) -> out.put(k, v / cpuSeconds));
            return out;
        }

        PathResult build() {
            CpuMeter.Usage cpu = cpuMissing || cpuSeconds <= 0 ? CpuMeter.Usage.NONE
                    : new CpuMeter.Usage(gwCoreSeconds / cpuSeconds, simCoreSeconds / cpuSeconds,
                            selfCoreSeconds / cpuSeconds, otherCoreSeconds / cpuSeconds, stealCoreSeconds / cpuSeconds,
                            cpuSeconds, threadShares());
            return new PathResult(path, ok, errors, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(errorKinds)), seconds, latency, ttft, cpu, sendLag,
                    List.copyOf(rounds), List.copyOf(roundsP99), slowBursts);
        }
    }
}
