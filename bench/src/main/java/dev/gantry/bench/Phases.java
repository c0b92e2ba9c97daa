package dev.gantry.bench;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The measurements every scenario is made of, each over a list of {@link Leg}s (direct and through
 * the gateway, or several kinds of request through the gateway): saturation rounds, fixed-rate
 * runs, single requests, and the wait for a quiet machine between them. Scenarios decide what to
 * compare and what the report says; this class only measures.
 */
final class Phases {
    private static final long SETTLE_MAX_MS = 8_000;

    private final Options o;
    private final LoadClient client;
    private final CpuMeter cpu;
    private final Control control;

    Phases(Options o, LoadClient client, CpuMeter cpu, Control control) {
        this.o = o;
        this.client = client;
        this.cpu = cpu;
        this.control = control;
    }

    /** One request, sent alone; its whole answer is kept ({@link Call#body()}). */
    Call once(Target target, Request request) throws Exception {
        CompletableFuture<Call> done = new CompletableFuture<>();
        client.context(0).runOnContext(v ->
                client.send(0, target, new Call(request, System.nanoTime()).keepBody(), done::complete));
        return done.get(o.requestTimeoutMs + 5_000, TimeUnit.MILLISECONDS);
    }

    /**
     * Closed-loop rounds over {@code legs}, the order rotating by one each round (D-G, G-D for two
     * legs) so that a drift in the machine's speed over the run favours none; results in leg order.
     * Each leg's first round follows {@code --lead-in-s} of the same load, not counted: the mixed
     * warm-up leaves code compiled for its mix, and the recompilation for this scenario's one kind
     * of request otherwise lands in its first measured round.
     */
    PathResult[] saturation(String name, Leg[] legs, int connections, int rounds, double seconds, String unit)
            throws Exception {
        ClosedLoopLoad load = new ClosedLoopLoad(client);
        PathResult.Builder[] results = new PathResult.Builder[legs.length];
        for (int i = 0; i < legs.length; i++) results[i] = new PathResult.Builder(legs[i].label());
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < legs.length; k++) {
                int i = (round + k) % legs.length;
                Leg leg = legs[i];
                if (round == 0 && o.leadInS > 0) {
                    settle();
                    BenchMain.log(name + ": " + leg.label() + ", " + trim(o.leadInS) + " s lead-in");
                    load.start(leg.target(), new Request[] {leg.request()}, connections, Options.ms(o.leadInS), new Tally())
                            .await(10_000);
                }
                settle();
                BenchMain.log(name + ": round " + (round + 1) + "/" + rounds + ", " + leg.label() + ", " + trim(seconds) + " s");
                Tally tally = new Tally();
                CpuMeter.Span span = cpu.start();
                ClosedLoopLoad.Running running = load.start(leg.target(), new Request[] {leg.request()}, connections,
                        Options.ms(seconds), tally);
                running.await(10_000);
                results[i].add(tally, running.seconds(), span.stop());
                BenchMain.log(String.format(Locale.ROOT, "  %s: %.0f %s, %d errors", leg.label(),
                        tally.ok() / running.seconds(), unit, tally.errors()));
            }
        }
        PathResult[] out = new PathResult[legs.length];
        for (int i = 0; i < legs.length; i++) out[i] = results[i].build();
        return out;
    }

    /**
     * Open loop at {@code rate} in {@code rounds} runs of {@code seconds / rounds} per leg, the order
     * rotating as in {@link #saturation}; each leg's latencies pooled over its rounds; results in leg
     * order. A tail percentile is the slowest hundredth of requests, and on a shared machine those
     * come in bursts: one run per leg, one after the other, lets a burst that hits only one of them
     * decide the comparison. Each leg's first round follows {@code --lead-in-s} of the same load,
     * not counted: the closed-loop warm-up does not take the paths a paced, mostly idle gateway
     * takes (blocking waits, groups of one), whose compilation otherwise lands in the measured tail.
     */
    PathResult[] fixedRate(String name, Leg[] legs, double rate, double seconds, int rounds) throws Exception {
        FixedRateLoad load = new FixedRateLoad(client);
        PathResult.Builder[] results = new PathResult.Builder[legs.length];
        for (int i = 0; i < legs.length; i++) results[i] = new PathResult.Builder(legs[i].label());
        double roundSeconds = seconds / rounds;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < legs.length; k++) {
                int i = (round + k) % legs.length;
                Leg leg = legs[i];
                settle();
                if (round == 0 && o.leadInS > 0) {
                    BenchMain.log(name + ": " + leg.label() + ", " + trim(o.leadInS) + " s lead-in");
                    load.run(leg.target(), leg.request(), rate, Options.ms(o.leadInS), 15_000, new Tally());
                }
                BenchMain.log(name + ": round " + (round + 1) + "/" + rounds + ", " + leg.label() + ", " + trim(roundSeconds) + " s");
                Tally tally = Tally.withSlowRequests();
                CpuMeter.Span span = cpu.start();
                FixedRateLoad.Pacing pacing = load.run(leg.target(), leg.request(), rate, Options.ms(roundSeconds), 15_000, tally);
                results[i].add(tally, roundSeconds, span.stop()).sendLag(pacing.sendLag()).slowRequests(tally.slowDue());
                BenchMain.log(String.format(Locale.ROOT, "  %s: p99 %s, %d errors", leg.label(),
                        Report.msText(Report.ms(results[i].lastRoundP99())), tally.errors()));
            }
        }
        PathResult[] out = new PathResult[legs.length];
        for (int i = 0; i < legs.length; i++) out[i] = results[i].build();
        return out;
    }

    /**
     * A JIT warm-up: {@code connections} workers sending {@code kinds} mixed to {@code target} as
     * fast as it answers for {@code millis}, so that as many requests as possible go through.
     */
    PathResult warmUp(String label, Target target, Request[] kinds, int connections, long millis) throws Exception {
        BenchMain.log("warm-up: " + label + ", " + millis / 1000.0 + " s");
        Tally tally = new Tally();
        CpuMeter.Span span = cpu.start();
        ClosedLoopLoad.Running running = new ClosedLoopLoad(client).start(target, kinds, connections, millis, tally);
        running.await(10_000);
        return new PathResult.Builder(label).add(tally, running.seconds(), span.stop()).build();
    }

    /** A warm-up at a fixed rate: the code paths of a gateway that idles between requests, measured by nobody. */
    void warmUpAtRate(Target target, Request request, double rate, long millis) throws Exception {
        settle();
        BenchMain.log("warm-up at " + trim(rate) + " req/s: " + target.name() + ", " + millis / 1000.0 + " s");
        new FixedRateLoad(client).run(target, request, rate, millis, 15_000, new Tally());
    }

    /**
     * Waits (at most {@link #SETTLE_MAX_MS}) until the gateway and the simulator are idle: usage
     * queue empty, and neither used more than ~0.1 core over the last 300 ms. Work left over from
     * one phase then does not land in the next one's numbers.
     */
    void settle() {
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MAX_MS);
        long idleTicks = Math.max(1, ProcStats.clockTicks * 3 / 100); // 0.1 core over 300 ms
        while (System.nanoTime() - giveUp < 0) {
            long gw = cpu.gatewayTicks();
            long sim = cpu.simulatorTicks();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            boolean quiet = cpu.gatewayTicks() - gw <= idleTicks && cpu.simulatorTicks() - sim <= idleTicks;
            if (quiet && usageQueueEmpty()) return;
        }
        BenchMain.log("  (gateway or simulator still busy after " + SETTLE_MAX_MS + " ms; going on)");
    }

    private boolean usageQueueEmpty() {
        try {
            return Control.metricSum(control.gatewayMetrics(), "gantry_usage_queue_depth") <= 0;
        } catch (RuntimeException e) {
            return true;
        }
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
