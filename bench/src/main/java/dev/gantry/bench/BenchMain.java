package dev.gantry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark: every scenario against the upstream simulator directly and through Gantry, side
 * by side in one run, after a JIT warm-up of both paths; then the Markdown report on stdout (and
 * in {@code --out}). {@code bench/run} starts the simulator and the gateway and calls this.
 *
 * <p>Order: preflight (one request of each kind on each path, or stop), warm-up (direct, then
 * through the gateway, streaming and not), non-streaming saturation, non-streaming latency at a
 * fixed rate, streaming saturation, time to first token at a fixed rate, translated against
 * passed-through streams ({@link TranslatedScenario}), one model on several deployments
 * ({@link DeploymentsScenario}), slow streams through Gantry. Between phases it waits for the
 * gateway to go quiet (its usage queue drained, its CPU idle), so work left over from one phase
 * does not land in the next one's numbers. Saturation and fixed-rate runs come in rounds that
 * alternate the order of the two paths (direct first, then Gantry first, ...) so that a drift in
 * the machine's speed over the run does not favour either.
 *
 * <p>Exit status: 0 when the run completed with no failed request, 1 when some requests failed
 * (the report shows which), 2 on bad usage or when the preflight failed.
 */
public final class BenchMain {
    private static final int WARMUP_CONNECTIONS = 32;
    private static final long HOST_CHECK_MS = 5_000;

    private final Options o;
    private final Target direct;
    private final Target gantry;
    private final LoadClient client;
    private final Control control;
    private final CpuMeter cpu;
    private final Report report;
    private final Phases phases;
    private final Request json;
    private final Request stream;
    /** The scenarios of their own classes; null when not asked for or not measurable (see the constructor). */
    private final TranslatedScenario translated;
    private final DeploymentsScenario deployments;

    private BenchMain(Options o, LoadClient client) {
        this.o = o;
        this.client = client;
        this.report = new Report(o.subject, o.baseline != null);
        this.direct = new Target("direct", o.direct.getHost(), o.direct.getPort(), o.directKey);
        this.gantry = new Target(o.subject, o.gateway.getHost(), o.gateway.getPort(), o.key);
        this.control = new Control(o.control, o.gateway);
        this.cpu = new CpuMeter(o.gatewayPid, o.simulatorPid);
        this.phases = new Phases(o, client, cpu, control);
        this.json = Request.chat(Bodies.chat(o.model, false), false);
        this.stream = Request.chat(Bodies.chat(o.model, true, o.streamUsage), true);
        // Both measure features of Gantry (translation, routing over deployments) that a featureless
        // proxy does not have: a calibration run leaves them out and says so.
        boolean gantryFeatures = o.subject.equals("Gantry");
        this.translated = o.only.contains("translated") && gantryFeatures
                ? new TranslatedScenario(o, phases, report, direct, gantry) : null;
        this.deployments = o.only.contains("deployments") && gantryFeatures
                ? new DeploymentsScenario(o, phases, report, control, gantry) : null;
        if (!gantryFeatures && (o.only.contains("translated") || o.only.contains("deployments"))) {
            report.note("Scenarios `translated` and `deployments` left out: they measure protocol translation and"
                    + " routing over several deployments, which " + o.subject + " does not have.");
        }
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
        if (translated != null && !translated.preflight()) return 2;
        if (deployments != null && !deployments.preflight()) return 2;
        control.simulatorBehaviour("{\"chunks\":" + o.chunks + "}");

        warmUp();
        if (o.only.contains("latency") || o.only.contains("ttft")) hostCheck();
        if (o.only.contains("saturation")) nonStreamingSaturation();
        if (o.only.contains("latency")) nonStreamingFixedRate();
        if (o.only.contains("streaming")) streamingSaturation();
        if (o.only.contains("ttft")) timeToFirstToken();
        if (translated != null) translated.run();
        if (deployments != null) deployments.run();
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
                + " measured in Gantry's place") + (o.baseline == null ? "" : ": A/B run against Gantry at " + o.baseline)
                + (o.quick ? " (quick smoke run: durations too short to trust)" : ""));
        report.header("");
        if (o.baseline != null) {
            report.header("In this run the \"direct\" path is a second gateway, Gantry at " + o.baseline + ", on the same"
                    + " simulator, and the \"simulator\" CPU figures are that gateway's (the simulator's count among other"
                    + " processes). The targets are defined against going direct, so none applies here. Which path goes"
                    + " first alternates by round; run again with the two swapped to take out the position's own favour.");
            report.header("");
        }
        report.header("- Date: " + started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        report.header("- Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), "
                + ProcStats.cpuModel() + ", " + memTotal() + " RAM, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + "; load generator, simulator and gateway share these CPUs;"
                + " loopback only; load average at start " + load);
        report.header("- JDK: " + System.getProperty("java.vm.vendor") + " " + Runtime.version()
                + " (same JDK for all three processes)");
        report.header("- Command: `" + o.command + "`" + (o.revision.isEmpty() ? "" : " at commit " + o.revision));
        report.header("- " + o.subject + ": " + o.gatewayInfo);
        report.header("- " + (o.baseline == null ? "Simulator" : "Baseline (the direct path)") + ": " + o.simulatorInfo);
        report.header("- Load generator: Vert.x HTTP/1.1 client, " + o.loops + " event loops (" + client.transportName()
                + "), keep-alive; bodies of " + json.body().length + " bytes (system + user message),"
                + " `Authorization: Bearer` data-plane key on both paths; answers of " + o.chunks + " tokens"
                + " (streams: " + o.chunks + " content chunks, " + (o.streamUsage
                        ? "`stream_options.include_usage` asked by the client)"
                        : "no `stream_options`, so a gateway asks for usage and hides it from the client)"));
        String lowRate = lowRateWarmUp() ? String.format(Locale.ROOT, ", then %s s through %s at the fixed rate, so that idle"
                + " connections expire and close once before any measured round", trim(o.lowRateWarmupS),
                o.baseline == null ? "the gateway" : "each gateway") : "";
        report.header(String.format(Locale.ROOT, "- Durations: warm-up %s s (" + (o.baseline == null ? "a third direct" : "half on the baseline")
                        + ", then through the gateway)%s; saturation %d round(s) × %s s"
                        + " per path (order alternates); fixed rate %d round(s) × %s s per path (order alternates); %s s of the"
                        + " same load, not measured, before each path's first fixed-rate and first saturation round;"
                        + " slow streams opened for %s s",
                trim(o.warmupS), lowRate, o.rounds, trim(o.saturationS), o.fixedRounds, trim(o.fixedS / o.fixedRounds),
                trim(o.leadInS), trim(o.slowS)));
        if (translated != null) {
            report.header(String.format(Locale.ROOT, "- Translated: warm-up %s s of Anthropic streams (a third direct);"
                            + " saturation %d round(s) × %s s per leg (four legs, order rotating); %s s per leg at %s streams/s",
                    trim(o.translatedWarmupS), o.translatedRounds, trim(o.translatedSaturationS), trim(o.translatedS),
                    Report.num(o.ttftRate)));
        }
        if (deployments != null) {
            report.header(String.format(Locale.ROOT, "- Deployments: saturation %d round(s) × %s s per deployment count"
                            + " (order rotating); %s s per count at %s req/s",
                    o.deploymentsRounds, trim(o.deploymentsSaturationS), trim(o.deploymentsS), Report.num(o.fixedRate)));
        }
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
            for (Request request : new Request[] {json, stream}) {
                Call call = phases.once(t, request);
                String what = t.name() + (request.stream() ? " stream" : " JSON");
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

    /**
     * JIT warm-up of the three JVMs: a third of the time on the direct path (load generator and
     * simulator), then two thirds through the gateway (which exercises all three), each with JSON
     * requests and streams mixed, at saturation so that as many requests as possible go through.
     * Then, before fixed-rate scenarios, the gateway at the fixed rate until the connections the
     * saturation left idle have expired and been closed on every hop ({@link Options#lowRateWarmupS}).
     */
    private void warmUp() throws Exception {
        String name = "Warm-up (JSON and streams mixed, " + WARMUP_CONNECTIONS + " connections)";
        Request[] kinds = {json, stream};
        Target[] order = {direct, gantry};
        // the direct path needs little (only the simulator warms up); a baseline gateway as much as the other
        double directShare = o.baseline == null ? 1.0 / 3 : 0.5;
        long[] millis = {Options.ms(o.warmupS * directShare), Options.ms(o.warmupS) - Options.ms(o.warmupS * directShare)};
        for (int i = 0; i < 2; i++) {
            report.details(name, phases.warmUp(order[i].name(), order[i], kinds, WARMUP_CONNECTIONS, millis[i]), false, "req/s");
        }
        if (lowRateWarmUp()) {
            // a baseline gateway (A/B run) closes connections too; the bare simulator needs no more
            Target[] gateways = o.baseline == null ? new Target[] {gantry} : order;
            for (Target gateway : gateways) phases.warmUpAtRate(gateway, json, o.fixedRate, Options.ms(o.lowRateWarmupS));
        }
        rssNote();
        phases.settle();
    }

    private boolean lowRateWarmUp() {
        return o.lowRateWarmupS > 0 && (o.only.contains("latency") || o.only.contains("ttft"));
    }

    /**
     * How steadily the idle machine runs a thread that sleeps 1 ms at a time ({@link HostCheck}),
     * for the fixed-rate tails: stalls of the machine a few times a second decide a p99.
     */
    private void hostCheck() {
        HostCheck.Result r = HostCheck.run(HOST_CHECK_MS);
        log("host check: " + r.describe());
        report.header("- Host check (idle, " + HOST_CHECK_MS / 1000 + " s, after the warm-up; a thread sleeping 1 ms at a"
                + " time): " + r.describe());
        for (String monitor : HostCheck.damonMonitors()) {
            report.header("- Memory monitor running in this machine's kernel (DAMON): " + monitor);
        }
        phases.settle();
    }

    private void nonStreamingSaturation() throws Exception {
        String name = "Non-streaming chat, saturation (" + o.connections + " connections)";
        PathResult[] r = phases.saturation(name, legs(json), o.connections, o.rounds, o.saturationS, "req/s");
        report.ratioRow(name, "throughput", "req/s", r[0], r[1], 0.40, "");
        report.details(name, r[0], true, "req/s");
        report.details(name, r[1], true, "req/s");
        report.warmthCheck(name, r[1]);
        rssNote();
    }

    private void streamingSaturation() throws Exception {
        String name = o.chunks + "-chunk streaming chat, saturation (" + o.streamConnections + " connections)";
        PathResult[] r = phases.saturation(name, legs(stream), o.streamConnections, o.rounds, o.saturationS, "streams/s");
        report.ratioRow(name, "throughput", "streams/s", r[0], r[1], 0.50, "bare proxy here: 0.38-0.42×");
        report.details(name, r[0], true, "streams/s");
        report.details(name, r[1], true, "streams/s");
        report.warmthCheck(name, r[1]);
        rssNote();
    }

    /** The same request direct and through the gateway, in that order. */
    private Leg[] legs(Request request) {
        return new Leg[] {new Leg(direct.name(), direct, request), new Leg(gantry.name(), gantry, request)};
    }

    private void nonStreamingFixedRate() throws Exception {
        String name = "Non-streaming chat at " + Report.num(o.fixedRate) + " req/s";
        PathResult[] r = phases.fixedRate(name, legs(json), o.fixedRate, o.fixedS, o.fixedRounds);
        report.addedRow(name, "p50 latency", 50, false, r[0], r[1], 0.3);
        report.addedRow(name, "p99 latency", 99, false, r[0], r[1], 2.0);
        report.note(name + ", slow requests (from their due time): " + r[0].path() + " " + r[0].slowBursts().describe()
                + "; " + r[1].path() + " " + r[1].slowBursts().describe() + ". The p99 is the 1 % mark: when bursts,"
                + " each behind one stall, hold more than that, they decide it (see the host check above).");
        report.details(name, r[0], true, "req/s");
        report.details(name, r[1], true, "req/s");
        report.warmthCheck(name, r[1]);
        rssNote();
    }

    private void timeToFirstToken() throws Exception {
        String name = o.chunks + "-chunk streams at " + Report.num(o.ttftRate) + " streams/s";
        PathResult[] r = phases.fixedRate(name, legs(stream), o.ttftRate, o.ttftS, o.fixedRounds);
        report.addedRow(name, "time to first token, p50", 50, true, r[0], r[1], 0.5);
        report.addedRow(name, "time to first token, p99", 99, true, r[0], r[1], Double.NaN);
        report.addedRow(name, "whole stream, p50", 50, false, r[0], r[1], Double.NaN);
        report.details(name, r[0], true, "streams/s");
        report.details(name, r[1], true, "streams/s");
        report.warmthCheck(name, r[1]);
        rssNote();
    }

    private void slowStreams() throws Exception {
        String name = String.format(Locale.ROOT, "%,d concurrent slow streams through %s (%d chunks, %d ms apart)",
                o.slowStreams, o.subject, o.chunks, o.slowChunkDelayMs);
        control.simulatorBehaviour("{\"chunks\":" + o.chunks + ",\"chunkDelayMs\":" + o.slowChunkDelayMs + "}");
        phases.settle();
        log(name + ": opened for " + trim(o.slowS) + " s");
        Tally tally = new Tally();
        CpuMeter.Span span = cpu.start();
        long streamMs = (long) o.chunks * o.slowChunkDelayMs;
        String[] heap = {""};
        SlowStreams.Result r = new SlowStreams(client).run(gantry, stream, o.slowStreams, o.slowRampMs,
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
        phases.settle();
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
