package dev.gantry.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The load generator's flags ({@code --name value}), with the full run's defaults; {@code --quick}
 * first switches to the smoke-test durations, and flags after it still override them.
 */
final class Options {
    // where things are (bench/run passes these)
    URI direct;
    URI gateway;
    String key;
    long gatewayPid;
    long simulatorPid;
    String model = "bench-model";
    String out;
    String command = "bench/run";
    String gatewayInfo = "";
    String revision = "";
    /** What is measured in the gateway's place: "Gantry", or "bare proxy" for a calibration run. */
    String subject = "Gantry";
    String simulatorInfo = "";
    boolean quick;
    /** Scenarios to run (after the warm-up), all by default. */
    java.util.Set<String> only = java.util.Set.of(SCENARIOS);
    static final String[] SCENARIOS = {"saturation", "latency", "streaming", "ttft", "slow"};

    // load generator
    int loops = 2;
    long requestTimeoutMs = 30_000;

    // scenarios (seconds unless named otherwise)
    double warmupS = 15;
    int rounds = 4;
    double saturationS = 10;
    int connections = 64;
    int streamConnections = 64;
    double fixedRate = 1_000;
    double fixedS = 20;
    double ttftRate = 100;
    double ttftS = 15;
    int chunks = 50;
    boolean streamUsage;
    int slowStreams = 1_000;
    int slowChunkDelayMs = 100;
    double slowS = 25;
    long slowRampMs = 2_000;

    static final String USAGE = """
            usage: BenchMain --direct URL --gateway URL --key KEY [options]
              --direct URL            the upstream simulator (http://127.0.0.1:PORT)
              --gateway URL           Gantry (http://127.0.0.1:PORT)
              --key KEY               a Gantry data-plane key
              --gateway-pid N         Gantry's process id (CPU and RSS from /proc)
              --simulator-pid N       the simulator's process id (CPU)
              --model NAME            model asked for (bench-model)
              --out FILE              also write the report there
              --command TEXT          the command line to print in the report
              --gateway-info TEXT     JVM flags etc. of the gateway, for the report
              --revision TEXT         the commit measured, for the report
              --subject NAME          what --gateway is, for the report (Gantry; "bare proxy" when calibrating)
              --simulator-info TEXT   the same for the simulator
              --clk-tck N             clock ticks per second of /proc CPU times (100)
              --quick                 smoke-test durations (about a minute in all)
              --only LIST             run only these scenarios after the warm-up, comma-separated, of:
                                      saturation, latency, streaming, ttft, slow (all)
              --loops N               load-generator event loops (2)
              --warmup-s S            JIT warm-up: a third direct, the rest through the gateway (15)
              --rounds N              saturation rounds, order alternating D-G, G-D, ... (4)
              --saturation-s S        length of each saturation run (10)
              --connections N         connections for non-streaming saturation (64)
              --stream-connections N  connections for streaming saturation (64)
              --fixed-rate R          fixed rate for the non-streaming latency runs, req/s (1000)
              --fixed-s S             length of each fixed-rate run (20)
              --ttft-rate R           fixed rate for the time-to-first-token runs, streams/s (100)
              --ttft-s S              length of each time-to-first-token run (15)
              --chunks N              content chunks per answer (50)
              --stream-usage BOOL     streaming clients ask for stream_options.include_usage (false)
              --slow-streams N        concurrent slow streams through Gantry (1000)
              --slow-chunk-delay-ms N delay before each chunk of a slow stream (100)
              --slow-s S              how long new slow streams keep being opened (25)
              --slow-ramp-ms N        time over which the slow streams are opened (2000)
            """;

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                o.quick();
                continue;
            }
            if (a.equals("--help") || a.equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!a.startsWith("--") || i + 1 >= args.length) fail("bad argument: " + a);
            values.put(a.substring(2), args[++i]);
        }
        values.forEach((k, v) -> o.set(k, v));
        if (o.direct == null || o.gateway == null || o.key == null) fail("--direct, --gateway and --key are required");
        return o;
    }

    private void quick() {
        quick = true;
        warmupS = 5;
        rounds = 1;
        saturationS = 4;
        fixedS = 4;
        ttftS = 4;
        slowS = 6;
        slowRampMs = 1_000;
    }

    private void set(String name, String v) {
        try {
            switch (name) {
                case "direct" -> direct = URI.create(v);
                case "gateway" -> gateway = URI.create(v);
                case "key" -> key = v;
                case "gateway-pid" -> gatewayPid = Long.parseLong(v);
                case "simulator-pid" -> simulatorPid = Long.parseLong(v);
                case "model" -> model = v;
                case "only" -> {
                    only = java.util.Set.of(v.split(","));
                    for (String scenario : only) {
                        if (!java.util.List.of(SCENARIOS).contains(scenario)) fail("unknown scenario " + scenario);
                    }
                }
                case "out" -> out = v;
                case "command" -> command = v;
                case "gateway-info" -> gatewayInfo = v;
                case "revision" -> revision = v;
                case "subject" -> subject = v;
                case "simulator-info" -> simulatorInfo = v;
                case "clk-tck" -> ProcStats.clockTicks = Long.parseLong(v);
                case "loops" -> loops = Integer.parseInt(v);
                case "request-timeout-ms" -> requestTimeoutMs = Long.parseLong(v);
                case "warmup-s" -> warmupS = Double.parseDouble(v);
                case "rounds" -> rounds = Integer.parseInt(v);
                case "saturation-s" -> saturationS = Double.parseDouble(v);
                case "connections" -> connections = Integer.parseInt(v);
                case "stream-connections" -> streamConnections = Integer.parseInt(v);
                case "fixed-rate" -> fixedRate = Double.parseDouble(v);
                case "fixed-s" -> fixedS = Double.parseDouble(v);
                case "ttft-rate" -> ttftRate = Double.parseDouble(v);
                case "ttft-s" -> ttftS = Double.parseDouble(v);
                case "chunks" -> chunks = Integer.parseInt(v);
                case "stream-usage" -> streamUsage = Boolean.parseBoolean(v);
                case "slow-streams" -> slowStreams = Integer.parseInt(v);
                case "slow-chunk-delay-ms" -> slowChunkDelayMs = Integer.parseInt(v);
                case "slow-s" -> slowS = Double.parseDouble(v);
                case "slow-ramp-ms" -> slowRampMs = Long.parseLong(v);
                default -> fail("unknown option --" + name);
            }
        } catch (IllegalArgumentException e) {
            fail("bad value for --" + name + ": " + v);
        }
    }

    static long ms(double seconds) {
        return Math.round(seconds * 1000);
    }

    private static void fail(String message) {
        System.err.println("bench: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
