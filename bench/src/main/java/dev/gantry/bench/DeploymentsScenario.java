package dev.gantry.bench;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One model served by 1, 2 and 4 deployments, non-streaming, through Gantry: saturation
 * throughput and latency at the fixed rate, side by side, and how the requests were split across
 * the deployments as Gantry counts them ({@code GET /api/v1/deployments}), to show that they really
 * spread. No target: what routing costs as deployments are added is for information.
 *
 * <p>bench/run's config declares {@code bench-1dep}, {@code bench-2dep} and {@code bench-4dep}
 * with strategy {@code round_robin}, on providers {@code sim-r1}..{@code sim-r4}: four provider
 * entries pointing at the one simulator process, each deployment with its own upstream model id so
 * that its counters are its own. So more deployments add no upstream capacity here: the figures
 * show the routing's cost and its spread, not scale-out.
 */
final class DeploymentsScenario {
    static final int[] COUNTS = {1, 2, 4};
    static final String STRATEGY = "round_robin";

    private final Options o;
    private final Phases phases;
    private final Report report;
    private final Control control;
    private final Leg[] legs;

    DeploymentsScenario(Options o, Phases phases, Report report, Control control, Target gantry) {
        this.o = o;
        this.phases = phases;
        this.report = report;
        this.control = control;
        this.legs = new Leg[COUNTS.length];
        for (int i = 0; i < COUNTS.length; i++) {
            legs[i] = new Leg(gantry.name() + ", " + COUNTS[i] + (COUNTS[i] == 1 ? " deployment" : " deployments"), gantry,
                    Request.chat(Bodies.chat(model(COUNTS[i]), false), false));
        }
    }

    static String model(int deployments) {
        return "bench-" + deployments + "dep";
    }

    /** One request per model, and the deployments where bench/run's config should have put them. */
    boolean preflight() throws Exception {
        if (o.adminKey == null) {
            System.err.println("bench: the deployments scenario needs --admin-key (bench/run passes it)");
            return false;
        }
        boolean ok = true;
        for (Leg leg : legs) {
            Call call = phases.once(leg.target(), leg.request());
            if (!call.ok()) {
                System.err.println("bench: preflight " + leg.label() + " failed: " + call.error + " (status " + call.status + ")");
                ok = false;
            }
        }
        Map<String, Long> deployments = requestsByDeployment();
        for (int n : COUNTS) {
            long found = deployments.keySet().stream().filter(id -> id.startsWith(model(n) + " ")).count();
            if (found != n) {
                System.err.println("bench: GET /api/v1/deployments lists " + found + " deployments of " + model(n)
                        + ", not " + n + ": is bench/run's config the one running?");
                ok = false;
            }
        }
        if (ok) BenchMain.log("preflight deployments: " + deployments.size() + " deployments of the three models listed");
        return ok;
    }

    void run() throws Exception {
        Map<String, Long> before = requestsByDeployment();
        String satName = "saturation (" + o.connections + " connections)";
        PathResult[] sat = phases.saturation("Deployments, " + satName, legs, o.connections, o.deploymentsRounds,
                o.deploymentsSaturationS, "req/s");
        String rateName = "at " + Report.num(o.fixedRate) + " req/s";
        PathResult[] fixed = phases.fixedRate("Deployments, " + rateName, legs, o.fixedRate, o.deploymentsS, o.deploymentsRounds);
        phases.settle();
        Map<String, Long> after = requestsByDeployment();

        String scenario = "Same model on 1 / 2 / 4 deployments (" + STRATEGY + ", one simulator), non-streaming, through "
                + legs[0].target().name();
        report.gantryRow(scenario, "throughput, " + satName, joined(sat, r -> Report.num(r.throughput())) + " req/s",
                "— (for information)", null, errors(sat));
        report.gantryRow(scenario, "p50 latency " + rateName, joined(fixed, r -> ms(r, 50)), "— (for information)", null,
                errors(fixed));
        report.gantryRow(scenario, "p99 latency " + rateName, joined(fixed, r -> ms(r, 99)), "— (for information)", null,
                errors(fixed));
        report.gantryRow(scenario, "requests per deployment (GET /api/v1/deployments)", split(before, after),
                "— (for information)", null, 0);
        for (PathResult r : sat) report.details(scenario + ", " + satName, r, true, "req/s");
        for (PathResult r : fixed) report.details(scenario + ", " + rateName, r, true, "req/s");
        for (PathResult r : sat) report.warmthCheck(scenario + ", " + satName, r);
        report.detail("  - " + scenario + ": requests routed to each deployment during the scenario, by Gantry's count "
                + "(GET /api/v1/deployments, `requests` after minus before; retries would count twice): " + split(before, after)
                + ". All providers sim-r1..sim-r4 point at the same simulator process.");
    }

    /** "1: 12,000; 2: 6,000 + 6,000 (50 / 50 %); ..." from the counters' growth. */
    private static String split(Map<String, Long> before, Map<String, Long> after) {
        StringJoiner out = new StringJoiner("; ");
        for (int n : COUNTS) {
            StringJoiner counts = new StringJoiner(" + ");
            StringJoiner shares = new StringJoiner(" / ");
            long total = 0;
            Map<String, Long> grew = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : after.entrySet()) {
                if (!e.getKey().startsWith(model(n) + " ")) continue;
                long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                grew.put(e.getKey(), d);
                total += d;
            }
            for (long d : grew.values()) {
                counts.add(String.format(Locale.ROOT, "%,d", d));
                shares.add(String.format(Locale.ROOT, "%.0f", total == 0 ? 0.0 : 100.0 * d / total));
            }
            out.add(n + ": " + counts + (n > 1 ? " (" + shares + " %)" : ""));
        }
        return out.toString();
    }

    /** "model provider/upstream-model" → requests so far, for the three models of this scenario. */
    private Map<String, Long> requestsByDeployment() {
        JsonObject answer = control.gatewayDeployments(o.adminKey);
        Map<String, Long> out = new LinkedHashMap<>();
        for (Object item : answer.getJsonArray("data")) {
            JsonObject d = (JsonObject) item;
            String model = d.getString("model");
            if (List.of(model(1), model(2), model(4)).contains(model)) {
                out.put(model + " " + d.getString("id"), d.getLong("requests", 0L));
            }
        }
        return out;
    }

    private static String joined(PathResult[] results, java.util.function.Function<PathResult, String> value) {
        StringJoiner out = new StringJoiner(" / ");
        for (PathResult r : results) out.add(value.apply(r));
        return out.toString();
    }

    private static String ms(PathResult r, double p) {
        return Report.msText(Report.ms(Report.percentile(r.latency(), p)));
    }

    private static long errors(PathResult[] results) {
        long n = 0;
        for (PathResult r : results) n += r.errors();
        return n;
    }
}
