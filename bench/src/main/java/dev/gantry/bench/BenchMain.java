package dev.gantry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark: every scenario against the upstream simulator directly and through Gantry, side
 * by side in one run, after a JIT warm-up of both paths; then the Markdown report on stdout (and
 * in {@code --out}). {@code bench/run} starts the simulator and the gateway and calls this.
 *
 * <p>Order: preflight (one request of each kind on each path, or stop), warm-up (direct, then
 * through the gateway, streaming and not), non-streaming saturation, non-streaming latency at a
 * fixed rate, streaming saturation, time to first token at a fixed rate, slow streams through
 * Gantry. Between phases it waits for the gateway to go quiet (its usage queue drained, its CPU
 * idle), so work left over from one phase does not land in the next one's numbers. Saturation
 * rounds alternate the order of the two paths (direct first, then Gantry first, ...) so that a
 * drift in the machine's speed over the run does not favour either.
 *
 * <p>Exit status: 0 when the run completed with no failed request, 1 when some requests failed
 * (the report shows which), 2 on bad usage or when the preflight failed.
 */
public final class BenchMain {
    private static final long SETTLE_MAX_MS = 8_000;
    private static final int WARMUP_CONNECTIONS = 32;

    private final Options o;
    private final Target direct;
    private final Target gantry;
    private final LoadClient client;
    private final Control control;
    private final CpuMeter cpu;
    private final Report report;
    private final byte[] jsonBody;
    private final byte[] streamBody;

    private BenchMain(Options o, LoadClient client) {
        this.o = o;
        this.client = client;
        this.report = new Report(o.subject);
        this.direct = new Target("direct", o.direct.getHost(), o.direct.getPort(), o.key);
        this.gantry = new Target(o.subject, o.gateway.getHost(), o.gateway.getPort(), o.key);
        this.control = new Control(o.direct, o.gateway);
        this.cpu = new CpuMeter(o.gatewayPid, o.simulatorPid);
        this.jsonBody = Bodies.chat(o.model, false);
        this.streamBody = Bodies.chat(o.model, true, o.streamUsage);
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        int status;
        try (LoadClient client = new LoadClient(o.loops, 4096, o.requestTimeoutMs)) {
            status = new BenchMain(o, client).run();
        }
        System.exit(status);
    }

    private int run() throws Exception {
        ZonedDateTime started = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        String loadBefore = ProcStats.loadAverage();
        header(started, loadBefore);

        if (!preflight()) return 2;
        control.simulatorBehaviour("{\"chunks\":" + o.chunks + "}");

        warmUp();
        if (o.only.contains("saturation")) nonStreamingSaturation();
        if (o.only.contains("latency")) nonStreamingFixedRate();
        if (o.only.contains("streaming")) streamingSaturation();
        if (o.only.contains("ttft")) timeToFirstToken();
        if (o.only.contains("slow")) slowStreams();
        usageCheck();

        report.note("How to read the details: CPU figures come from /proc (utime + stime) over each phase;"
                + " \"CPU ms per req\" divides a process's CPU by the requests completed, so it includes the"
                + " gateway's JIT, GC and usage threads; \"by thread\" splits the gateway's CPU by thread name.");
        report.note("Load average (1/5/15 min) before: " + loadBefore + "; after: " + ProcStats.loadAverage()
                + ". Run took " + elapsed(started) + ".");
        String text = report.render();
        System.out.println();
        System.out.print(text);
        System.out.flush();
        if (o.out != null) {
            Path out = Path.of(o.out);
            if (out.getParent() != null) Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            log("report written to " + out);
        }
        return report.anyFailedRequests() ? 1 : 0;
    }

    // ---- header ----

    private void header(ZonedDateTime started, String load) {
        report.header("# Gantry benchmark" + (o.subject.equals("Gantry") ? "" : ": calibration run, " + o.subject
                + " measured in Gantry's place") + (o.quick ? " (quick smoke run: durations too short to trust)" : ""));
        report.header("");
        report.header("- Date: " + started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        report.header("- Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), "
                + ProcStats.cpuModel() + ", " + memTotal() + " RAM, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + "; load generator, simulator and gateway share these CPUs;"
                + " loopback only; load average at start " + load);
        report.header("- JDK: " + System.getProperty("java.vm.vendor") + " " + Runtime.version()
                + " (same JDK for all three processes)");
        report.header("- Command: `" + o.command + "`" + (o.revision.isEmpty() ? "" : " at commit " + o.revision));
        report.header("- " + o.subject + ": " + o.gatewayInfo);
        report.header("- Simulator: " + o.simulatorInfo);
        report.header("- Load generator: Vert.x HTTP/1.1 client, " + o.loops + " event loops (" + client.transportName()
                + "), keep-alive; bodies of " + jsonBody.length + " bytes (system + user message),"
                + " `Authorization: Bearer` data-plane key on both paths; answers of " + o.chunks + " tokens"
                + " (streams: " + o.chunks + " content chunks, " + (o.streamUsage
                        ? "`stream_options.include_usage` asked by the client)"
                        : "no `stream_options`, so a gateway asks for usage and hides it from the client)"));
        report.header(String.format(Locale.ROOT, "- Durations: warm-up %s s (a third direct, then through the gateway); saturation %d round(s) × %s s"
                        + " per path (order alternates); fixed rate %s s per path; slow streams opened for %s s",
                trim(o.warmupS), o.rounds, trim(o.saturationS), trim(o.fixedS), trim(o.slowS)));
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.0f GB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "? GB";
    }

    // ---- phases ----

    /** One request of each kind on each path; stops the run with a clear message if any fails. */
    private boolean preflight() throws Exception {
        boolean ok = true;
        for (Target t : new Target[] {direct, gantry}) {
            for (boolean stream : new boolean[] {false, true}) {
                Call call = once(t, stream ? streamBody : jsonBody, stream);
                String what = t.name() + (stream ? " stream" : " JSON");
                if (!call.ok()) {
                    System.err.println("bench: preflight " + what + " failed: " + call.error + " (status " + call.status + ")");
                    ok = false;
                } else {
                    log("preflight " + what + ": HTTP " + call.status + ", " + call.bytes + " bytes in "
                            + Report.msText(Report.ms(call.latencyNanos())));
                }
            }
        }
        return ok;
    }

    private Call once(Target target, byte[] body, boolean stream) throws Exception {
        CompletableFuture<Call> done = new CompletableFuture<>();
        client.context(0).runOnContext(v -> client.send(0, target, body, new Call(stream, System.nanoTime()), done::complete));
        return done.get(o.requestTimeoutMs + 5_000, TimeUnit.MILLISECONDS);
    }

    /**
     * JIT warm-up of the three JVMs: a third of the time on the direct path (load generator and
     * simulator), then two thirds through the gateway (which exercises all three), each with JSON
     * requests and streams mixed, at saturation so that as many requests as possible go through.
     */
    private void warmUp() throws Exception {
        String name = "Warm-up (JSON and streams mixed, " + WARMUP_CONNECTIONS + " connections)";
        ClosedLoopLoad load = new ClosedLoopLoad(client);
        byte[][] bodies = {jsonBody, streamBody};
        boolean[] stream = {false, true};
        Target[] order = {direct, gantry};
        long[] millis = {Options.ms(o.warmupS / 3), Options.ms(o.warmupS) - Options.ms(o.warmupS / 3)};
        for (int i = 0; i < 2; i++) {
            log("warm-up: " + order[i].name() + ", " + millis[i] / 1000.0 + " s, JSON and streams mixed");
            Tally tally = new Tally();
            CpuMeter.Span span = cpu.start();
            ClosedLoopLoad.Running running = load.start(order[i], bodies, stream, WARMUP_CONNECTIONS, millis[i], tally);
            running.await(10_000);
            report.details(name, new PathResult.Builder(order[i].name()).add(tally, running.seconds(), span.stop()).build(),
                    false, "req/s");
        }
        rssNote();
        settle();
    }

    private void nonStreamingSaturation() throws Exception {
        String name = "Non-streaming chat, saturation (" + o.connections + " connections)";
        PathResult[] r = saturation(name, jsonBody, false, o.connections, "req/s");
        report.ratioRow(name, "throughput", "req/s", r[0], r[1], 0.40, "");
        report.details(name, r[0], true, "req/s");
        report.details(name, r[1], true, "req/s");
        report.warmthCheck(name, r[1]);
        rssNote();
    }

    private void streamingSaturation() throws Exception {
        String name = o.chunks + "-chunk streaming chat, saturation (" + o.streamConnections + " connections)";
        PathResult[] r = saturation(name, streamBody, true, o.streamConnections, "streams/s");
        report.ratioRow(name, "throughput", "streams/s", r[0], r[1], 0.50, "bare proxy here: 0.38-0.42×");
        report.details(name, r[0], true, "streams/s");
        report.details(name, r[1], true, "streams/s");
        report.warmthCheck(name, r[1]);
        rssNote();
    }

    /** Closed-loop rounds, alternating which path goes first; returns {direct, gantry}. */
    private PathResult[] saturation(String name, byte[] body, boolean stream, int connections, String unit) throws Exception {
        ClosedLoopLoad load = new ClosedLoopLoad(client);
        PathResult.Builder d = new PathResult.Builder("direct");
        PathResult.Builder g = new PathResult.Builder(gantry.name());
        for (int round = 0; round < o.rounds; round++) {
            Target[] order = round % 2 == 0 ? new Target[] {direct, gantry} : new Target[] {gantry, direct};
            for (Target t : order) {
                settle();
                log(name + ": round " + (round + 1) + "/" + o.rounds + ", " + t.name() + ", " + trim(o.saturationS) + " s");
                Tally tally = new Tally();
                CpuMeter.Span span = cpu.start();
                ClosedLoopLoad.Running running = load.start(t, new byte[][] {body}, new boolean[] {stream}, connections,
                        Options.ms(o.saturationS), tally);
                running.await(10_000);
                CpuMeter.Usage usage = span.stop();
                (t == direct ? d : g).add(tally, running.seconds(), usage);
                log(String.format(Locale.ROOT, "  %s: %.0f %s, %d errors", t.name(), tally.ok() / running.seconds(), unit,
                        tally.errors()));
            }
        }
        return new PathResult[] {d.build(), g.build()};
    }

    private void nonStreamingFixedRate() throws Exception {
        String name = "Non-streaming chat at " + Report.num(o.fixedRate) + " req/s";
        PathResult[] r = fixedRate(name, jsonBody, false, o.fixedRate, o.fixedS);
        report.addedRow(name, "p50 latency", 50, false, r[0], r[1], 0.3);
        report.addedRow(name, "p99 latency", 99, false, r[0], r[1], 2.0);
        report.details(name, r[0], true, "req/s");
        report.details(name, r[1], true, "req/s");
        report.warmthCheck(name, r[1]);
        rssNote();
    }

    private void timeToFirstToken() throws Exception {
        String name = o.chunks + "-chunk streams at " + Report.num(o.ttftRate) + " streams/s";
        PathResult[] r = fixedRate(name, streamBody, true, o.ttftRate, o.ttftS);
        report.addedRow(name, "time to first token, p50", 50, true, r[0], r[1], 0.5);
        report.addedRow(name, "time to first token, p99", 99, true, r[0], r[1], Double.NaN);
        report.addedRow(name, "whole stream, p50", 50, false, r[0], r[1], Double.NaN);
        report.details(name, r[0], true, "streams/s");
        report.details(name, r[1], true, "streams/s");
        report.warmthCheck(name, r[1]);
        rssNote();
    }

    /** Open loop, direct then Gantry; returns {direct, gantry}. */
    private PathResult[] fixedRate(String name, byte[] body, boolean stream, double rate, double seconds) throws Exception {
        FixedRateLoad load = new FixedRateLoad(client);
        PathResult[] out = new PathResult[2];
        Target[] targets = {direct, gantry};
        for (int i = 0; i < 2; i++) {
            Target t = targets[i];
            settle();
            log(name + ": " + t.name() + ", " + trim(seconds) + " s");
            Tally tally = new Tally();
            CpuMeter.Span span = cpu.start();
            FixedRateLoad.Pacing pacing = load.run(t, body, stream, rate, Options.ms(seconds), 15_000, tally);
            CpuMeter.Usage usage = span.stop();
            out[i] = new PathResult.Builder(t.name()).add(tally, seconds, usage).sendLag(pacing.sendLag()).build();
            log(String.format(Locale.ROOT, "  %s: p50 %s, p99 %s, %d errors", t.name(),
                    Report.msText(Report.ms(Report.percentile(out[i].latency(), 50))),
                    Report.msText(Report.ms(Report.percentile(out[i].latency(), 99))), out[i].errors()));
        }
        return out;
    }

    private void slowStreams() throws Exception {
        String name = String.format(Locale.ROOT, "%,d concurrent slow streams through %s (%d chunks, %d ms apart)",
                o.slowStreams, o.subject, o.chunks, o.slowChunkDelayMs);
        control.simulatorBehaviour("{\"chunks\":" + o.chunks + ",\"chunkDelayMs\":" + o.slowChunkDelayMs + "}");
        settle();
        log(name + ": opened for " + trim(o.slowS) + " s");
        Tally tally = new Tally();
        CpuMeter.Span span = cpu.start();
        long streamMs = (long) o.chunks * o.slowChunkDelayMs;
        String[] heap = {""};
        SlowStreams.Result r = new SlowStreams(client).run(gantry, streamBody, o.slowStreams, o.slowRampMs,
                Options.ms(o.slowS), streamMs + 15_000, o.gatewayPid, tally, () -> heap[0] = heapInfo(o.gatewayPid));
        CpuMeter.Usage usage = span.stop();
        control.simulatorBehaviour("{\"chunks\":" + o.chunks + "}");
        PathResult result = new PathResult.Builder(gantry.name()).add(tally, usage.seconds(), usage).build();
        boolean allWhole = tally.errors() == 0 && result.ok() > 0;
        boolean concurrent = r.maxConcurrent() >= o.slowStreams;
        report.gantryRow(name, "streams ended whole", String.format(Locale.ROOT, "%,d of %,d; %,d at once at peak",
                result.ok(), result.ok() + result.errors(), r.maxConcurrent()), "all, " + String.format(Locale.ROOT,
                "%,d at once", o.slowStreams), allWhole && concurrent, result.errors());
        report.gantryRow(name, "stream duration p50 / p99 (nominal " + Report.msText(streamMs) + ")",
                Report.msText(Report.ms(Report.percentile(result.latency(), 50))) + " / "
                        + Report.msText(Report.ms(Report.percentile(result.latency(), 99))),
                "— (for information)", null, result.errors());
        report.gantryRow(name, o.subject + " peak RSS (VmRSS every 100 ms)", mb(r.peakRssKb()), "< 512 MB",
                r.peakRssKb() > 0 && r.peakRssKb() < 512 * 1024, 0);
        report.details(name, result, false, "streams");
        report.detail(String.format(Locale.ROOT, "  - " + o.subject + " RSS: %s before, %s peak while the streams ran, %s after;"
                        + " highest since the gateway started (VmHWM): %s",
                mb(r.rssBeforeKb()), mb(r.peakRssKb()), mb(r.rssAfterKb()), mb(r.lifetimePeakRssKb())));
        if (!heap[0].isEmpty()) report.detail("  - " + o.subject + " heap when the window closed (jcmd GC.heap_info): " + heap[0]);
        log(String.format(Locale.ROOT, "  %d ok, %d errors, %d at once at peak, peak RSS %s", result.ok(), result.errors(),
                r.maxConcurrent(), mb(r.peakRssKb())));
    }

    /** Does every request that went through Gantry have its usage recorded? (metrics count them as they are stored) */
    private void usageCheck() {
        settle();
        if (!o.subject.equals("Gantry")) return;
        try {
            String metrics = control.gatewayMetrics();
            long counted = Math.round(Control.metricSum(metrics, "gantry_requests_total"));
            long dropped = Math.round(Control.metricSum(metrics, "gantry_usage_dropped_total"));
            long queued = Math.round(Control.metricSum(metrics, "gantry_usage_queue_depth"));
            long sent = client.sentTo(gantry.name());
            report.note(String.format(Locale.ROOT, "Usage recording: %,d requests sent through Gantry, %,d usage records"
                    + " processed (gantry_requests_total), %,d dropped, %,d still queued at the end.%s", sent, counted,
                    Math.max(0, dropped), Math.max(0, queued), counted == sent ? "" : " **Mismatch.**"));
            report.note("Simulator counters: " + control.simulatorStats());
        } catch (RuntimeException e) {
            report.note("Could not read Gantry's /metrics: " + e.getMessage());
        }
    }

    /**
     * Waits (at most {@link #SETTLE_MAX_MS}) until the gateway and the simulator are idle: usage
     * queue empty, and neither used more than ~0.1 core over the last 300 ms.
     */
    private void settle() {
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
        log("  (gateway or simulator still busy after " + SETTLE_MAX_MS + " ms; going on)");
    }

    private boolean usageQueueEmpty() {
        try {
            return Control.metricSum(control.gatewayMetrics(), "gantry_usage_queue_depth") <= 0;
        } catch (RuntimeException e) {
            return true;
        }
    }

    // ---- helpers ----

    private void rssNote() {
        report.detail(String.format(Locale.ROOT, "  - %s RSS after this scenario: %s (highest so far: %s)", o.subject,
                mb(ProcStats.rssKb(o.gatewayPid)), mb(ProcStats.peakRssKb(o.gatewayPid))));
    }

    /** The JVM's heap summary of {@code pid} in one line ({@code jcmd PID GC.heap_info}), or "". */
    private static String heapInfo(long pid) {
        if (pid <= 0) return "";
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) return "";
            StringBuilder line = new StringBuilder();
            for (String l : out.split("\n")) {
                String t = l.trim();
                // "PSYoungGen total 305664K, used 6574K [...]", "ParOldGen ...", "Metaspace used ..., committed ..."
                if (t.matches("^(PSYoungGen|ParOldGen|def new generation|tenured generation|garbage-first heap|Metaspace|class space).*")) {
                    if (line.length() > 0) line.append("; ");
                    line.append(t.replaceAll("\\s*\\[.*$", "").replaceAll("\\s+", " "));
                }
            }
            return line.toString();
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static void log(String message) {
        System.err.println("[bench " + java.time.LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }

    private static String mb(long kb) {
        return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String elapsed(ZonedDateTime start) {
        long s = java.time.Duration.between(start, ZonedDateTime.now()).toSeconds();
        return s / 60 + " min " + s % 60 + " s";
    }
}
