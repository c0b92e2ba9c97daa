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
    /** The key sent on the direct path (the simulator takes any; a baseline gateway needs its own). */
    String directKey;
    /** The simulator, for {@code /sim} calls between phases: the direct path unless that is a baseline gateway. */
    URI control;
    /** In an A/B run, the revision of the gateway measured on the direct path; null otherwise. */
    String baseline;
    /** Gantry's admin key, to read {@code GET /api/v1/deployments} (the deployments scenario's load split). */
    String adminKey;
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
    static final String[] SCENARIOS = {"saturation", "latency", "streaming", "ttft", "translated", "deployments", "slow"};

    // load generator
    int loops = 2;
    long requestTimeoutMs = 30_000;

    // scenarios (seconds unless named otherwise)
    /**
     * Long enough for the JIT to settle: after 45 s, C2 was still compiling through the saturation
     * rounds (1,064 compilations, 6.4 s of compile time in their 70 s), 5-7 % of the gateway's CPU.
     */
    double warmupS = 90;
    /**
     * Then each gateway at the fixed rate, long enough for idle connections to expire on every hop
     * (the gateway's upstream keep-alive of 30 s plus its 15 s sweep; the load generator's 60 s):
     * the first connections a JVM closes deoptimise some forty compiled methods of Netty's write
     * and io_uring paths, which C2 then compiles again, a one-time cost that fell in the measured
     * fixed-rate rounds otherwise (-XX:+PrintCompilation).
     */
    double lowRateWarmupS = 65;
    int rounds = 4;
    double saturationS = 10;
    int connections = 64;
    int streamConnections = 64;
    double fixedRate = 1_000;
    double fixedS = 20;
    int fixedRounds = 4;
    double leadInS = 5;
    double ttftRate = 100;
    double ttftS = 15;
    int chunks = 50;
    boolean streamUsage;
    int slowStreams = 1_000;
    int slowChunkDelayMs = 100;
    double slowS = 25;
    long slowRampMs = 2_000;
    // shorter than the scenarios above, so that the full run stays near 8 minutes: their figures are
    // compared within the scenario (translated vs pass-through, 1 vs 2 vs 4 deployments)
    double translatedWarmupS = 6;
    int translatedRounds = 2;
    double translatedSaturationS = 5;
    double translatedS = 10;
    int deploymentsRounds = 2;
    double deploymentsSaturationS = 5;
    double deploymentsS = 6;

    static final String USAGE = """
            usage: BenchMain --direct URL --gateway URL --key KEY [options]
              --direct URL            the upstream simulator (http://127.0.0.1:PORT), or a baseline gateway
              --direct-key KEY        the key sent on the direct path (--key)
              --control URL           the simulator, when --direct is a baseline gateway (--direct)
              --baseline REV          an A/B run: --direct is Gantry at REV; targets do not apply
              --gateway URL           Gantry (http://127.0.0.1:PORT)
              --key KEY               a Gantry data-plane key
              --admin-key KEY         a Gantry admin key (the deployments scenario reads GET /api/v1/deployments)
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
              --quick                 smoke-test durations (under 2 minutes in all)
              --only LIST             run only these scenarios after the warm-up, comma-separated, of:
                                      saturation, latency, streaming, ttft, translated, deployments,
                                      slow (all)
                                      translated: 50-chunk streams, OpenAI Chat client (passed through)
                                        and Anthropic Messages client (translated to Chat) on the same
                                        OpenAI-compatible upstream, each direct and through Gantry
                                      deployments: one model on 1, 2 and 4 deployments (round_robin),
                                        non-streaming, through Gantry
              --loops N               load-generator event loops (2)
              --warmup-s S            JIT warm-up: a third direct (half in an A/B run), the rest through the gateway (90)
              --low-rate-warmup-s S   then each gateway at the fixed rate, until idle connections have
                                        expired and been closed once on every hop (65)
              --rounds N              saturation rounds, order alternating D-G, G-D, ... (4)
              --saturation-s S        length of each saturation run (10)
              --connections N         connections for non-streaming saturation (64)
              --stream-connections N  connections for streaming saturation (64)
              --fixed-rate R          fixed rate for the non-streaming latency runs, req/s (1000)
              --fixed-s S             length of each fixed-rate run, per path (20)
              --fixed-rounds N        rounds each fixed-rate run (--fixed-s, --ttft-s) is split into, order
                                      alternating D-G, G-D, ...; each path's latencies pooled (4)
              --lead-in-s S           unmeasured load of the same kind just before each path's first
                                      fixed-rate and first saturation round, so that they measure a
                                      JIT-warm steady state of that load (5)
              --ttft-rate R           fixed rate for the time-to-first-token runs, streams/s (100)
              --ttft-s S              length of each time-to-first-token run (15)
              --chunks N              content chunks per answer (50)
              --stream-usage BOOL     streaming clients ask for stream_options.include_usage (false)
              --slow-streams N        concurrent slow streams through Gantry (1000)
              --slow-chunk-delay-ms N delay before each chunk of a slow stream (100)
              --slow-s S              how long new slow streams keep being opened (25)
              --slow-ramp-ms N        time over which the slow streams are opened (2000)
              --translated-warmup-s S JIT warm-up of the Anthropic path, a third direct (6)
              --translated-rounds N   translated: rounds over the four legs, order rotating, at saturation
                                      and at --ttft-rate (2)
              --translated-saturation-s S  translated: length of each saturation run (5)
              --translated-s S        translated: time per leg at --ttft-rate, all rounds together (10)
              --deployments-rounds N  deployments: rounds over 1, 2, 4, order rotating, at saturation and
                                      at --fixed-rate (2)
              --deployments-saturation-s S  deployments: length of each saturation run (5)
              --deployments-s S       deployments: time per count at --fixed-rate, all rounds together (6)
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
        if (o.directKey == null) o.directKey = o.key;
        if (o.control == null) o.control = o.direct;
        return o;
    }

    private void quick() {
        quick = true;
        warmupS = 5;
        lowRateWarmupS = 2;
        rounds = 1;
        saturationS = 4;
        fixedS = 4;
        fixedRounds = 1;
        leadInS = 1;
        ttftS = 4;
        slowS = 6;
        slowRampMs = 1_000;
        translatedWarmupS = 2;
        translatedRounds = 1;
        translatedSaturationS = 2;
        translatedS = 3;
        deploymentsRounds = 1;
        deploymentsSaturationS = 2;
        deploymentsS = 2;
    }

    private void set(String name, String v) {
        try {
            switch (name) {
                case "direct" -> direct = URI.create(v);
                case "direct-key" -> directKey = v;
                case "control" -> control = URI.create(v);
                case "baseline" -> baseline = v;
                case "gateway" -> gateway = URI.create(v);
                case "key" -> key = v;
                case "admin-key" -> adminKey = v;
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
                case "low-rate-warmup-s" -> lowRateWarmupS = Double.parseDouble(v);
                case "rounds" -> rounds = Integer.parseInt(v);
                case "saturation-s" -> saturationS = Double.parseDouble(v);
                case "connections" -> connections = Integer.parseInt(v);
                case "stream-connections" -> streamConnections = Integer.parseInt(v);
                case "fixed-rate" -> fixedRate = Double.parseDouble(v);
                case "fixed-s" -> fixedS = Double.parseDouble(v);
                case "fixed-rounds" -> {
                    fixedRounds = Integer.parseInt(v);
                    if (fixedRounds < 1) fail("--fixed-rounds must be at least 1");
                }
                case "lead-in-s" -> leadInS = Double.parseDouble(v);
                case "ttft-rate" -> ttftRate = Double.parseDouble(v);
                case "ttft-s" -> ttftS = Double.parseDouble(v);
                case "chunks" -> chunks = Integer.parseInt(v);
                case "stream-usage" -> streamUsage = Boolean.parseBoolean(v);
                case "slow-streams" -> slowStreams = Integer.parseInt(v);
                case "slow-chunk-delay-ms" -> slowChunkDelayMs = Integer.parseInt(v);
                case "slow-s" -> slowS = Double.parseDouble(v);
                case "slow-ramp-ms" -> slowRampMs = Long.parseLong(v);
                case "translated-warmup-s" -> translatedWarmupS = Double.parseDouble(v);
                case "translated-rounds" -> translatedRounds = Integer.parseInt(v);
                case "translated-saturation-s" -> translatedSaturationS = Double.parseDouble(v);
                case "translated-s" -> translatedS = Double.parseDouble(v);
                case "deployments-rounds" -> deploymentsRounds = Integer.parseInt(v);
                case "deployments-saturation-s" -> deploymentsSaturationS = Double.parseDouble(v);
                case "deployments-s" -> deploymentsS = Double.parseDouble(v);
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
