package dev.gantry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The Markdown report: a header naming the machine, the JDK, the date and the command; the summary
 * table (direct, through Gantry, ratio or added latency, target, verdict, errors); then the details
 * each number came from, the CPU split between the processes, and the conditions of the run.
 *
 * <p>Honesty rules: a row whose scenario had any failure says so in its verdict column whatever its
 * numbers; a phase during which something else used the machine is called out.
 */
final class Report {
    /** CPU used by processes other than the three of the benchmark above which a phase is flagged, in cores. */
    static final double BUSY_MACHINE_CORES = 0.15;

    private final List<String> header = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> busyPhases = new ArrayList<>();
    private final List<String> notWarm = new ArrayList<>();
    private final String subject;
    /** An A/B run: the direct path is a baseline gateway, and rows get no verdict. */
    private final boolean againstBaseline;
    private int missed;

    Report(String subject, boolean againstBaseline) {
        this.subject = subject;
        this.againstBaseline = againstBaseline;
    }
    private int flagged;

    void header(String line) {
        header.add(line);
    }

    void note(String line) {
        notes.add(line);
    }

    /** A throughput row: higher is better, target is a minimum ratio gantry/direct (NaN: for information). */
    void ratioRow(String scenario, String measure, String unit, PathResult direct, PathResult gantry, double minRatio,
                  String targetNote) {
        double ratio = direct.throughput() <= 0 ? 0 : gantry.throughput() / direct.throughput();
        Boolean met = Double.isNaN(minRatio) ? null : ratio >= minRatio;
        row(scenario, measure, num(direct.throughput()) + " " + unit, num(gantry.throughput()) + " " + unit,
                String.format(Locale.ROOT, "%.2f×", ratio),
                (Double.isNaN(minRatio) ? "— (for information)" : String.format(Locale.ROOT, "≥ %.2f×", minRatio))
                        + (targetNote.isEmpty() ? "" : " (" + targetNote + ")"),
                met, direct, gantry);
    }

    /**
     * Compares what the gateway adds on two paths, each measured direct and through it: the
     * "direct" column shows the first path's added latency, the gateway column the second's, and
     * the target is a maximum ratio second/first (NaN: for information). When the first path adds
     * nothing measurable (≤ 0, noise) there is no ratio and no verdict.
     */
    void addedRatioRow(String scenario, String measure, double p, boolean ttft, String baseName, PathResult baseDirect,
                       PathResult baseGantry, String otherName, PathResult otherDirect, PathResult otherGantry,
                       double maxRatio) {
        double base = added(p, ttft, baseDirect, baseGantry);
        double other = added(p, ttft, otherDirect, otherGantry);
        boolean noRatio = Double.isNaN(base) || Double.isNaN(other) || base <= 0;
        double ratio = noRatio ? Double.NaN : other / base;
        Boolean met = Double.isNaN(maxRatio) || noRatio ? null : ratio <= maxRatio;
        String comparison = noRatio ? "no ratio (" + baseName + " adds ≤ 0 ms: noise)"
                : String.format(Locale.ROOT, "%.2f×", ratio);
        String target = Double.isNaN(maxRatio) ? "— (for information)"
                : String.format(Locale.ROOT, "%s ≤ %s× %s", otherName, trim(maxRatio), baseName);
        row(scenario, measure, baseName + " " + String.format(Locale.ROOT, "%+.3f ms", base),
                otherName + " " + String.format(Locale.ROOT, "%+.3f ms", other), comparison, target, met,
                baseDirect.errors() + otherDirect.errors(), baseGantry.errors() + otherGantry.errors());
    }

    private static double added(double p, boolean ttft, PathResult direct, PathResult gantry) {
        return ms(percentile(ttft ? gantry.ttft() : gantry.latency(), p)) - ms(percentile(ttft ? direct.ttft() : direct.latency(), p));
    }

    /** A latency row: the target is a maximum added latency at percentile {@code p}. */
    void addedRow(String scenario, String measure, double p, boolean ttft, PathResult direct, PathResult gantry,
                  double maxAddedMs) {
        double d = ms(percentile(ttft ? direct.ttft() : direct.latency(), p));
        double g = ms(percentile(ttft ? gantry.ttft() : gantry.latency(), p));
        double added = g - d;
        Boolean met = Double.isNaN(maxAddedMs) ? null : added <= maxAddedMs;
        row(scenario, measure, msText(d), msText(g), String.format(Locale.ROOT, "%+.3f ms", added),
                Double.isNaN(maxAddedMs) ? "— (for information)" : String.format(Locale.ROOT, "≤ +%s ms", trim(maxAddedMs)),
                met, direct, gantry);
    }

    /** A row about Gantry alone. */
    void gantryRow(String scenario, String measure, String value, String target, Boolean met, long errors) {
        String verdict = verdict(met, errors);
        rows.add(String.join(" | ", "| " + scenario, measure, "—", value, "—", target, verdict, "— / " + errors + " |"));
    }

    private void row(String scenario, String measure, String direct, String gantry, String comparison, String target,
                     Boolean met, PathResult d, PathResult g) {
        row(scenario, measure, direct, gantry, comparison, target, met, d.errors(), g.errors());
    }

    private void row(String scenario, String measure, String direct, String gantry, String comparison, String target,
                     Boolean met, long directErrors, long gantryErrors) {
        if (againstBaseline) target = "— (A/B run)";
        String verdict = verdict(met, directErrors + gantryErrors);
        rows.add(String.join(" | ", "| " + scenario, measure, direct, gantry, comparison, target, verdict,
                directErrors + " / " + gantryErrors + " |"));
    }

    /** @param met null for a row shown for information, with no target */
    private String verdict(Boolean met, long errors) {
        if (againstBaseline) met = null;
        String result = met == null ? "—" : met ? "met" : "**missed**";
        if (Boolean.FALSE.equals(met)) missed++;
        if (errors > 0) {
            flagged++;
            return "⚠ " + errors + " errors; " + result;
        }
        return result;
    }

    /** Details of one phase of a scenario. */
    /**
     * Flags a measurement taken while the gateway's JIT compiler was still busy or its throughput
     * still climbing from round to round: the gateway was not warm, and its numbers understate it.
     */
    void warmthCheck(String scenario, PathResult r) {
        if (r.path().startsWith("direct")) return;
        double jit = r.cpu().gatewayThreads().getOrDefault("JIT", 0.0);
        List<Double> rounds = r.rounds();
        boolean climbing = rounds.size() >= 2 && rounds.getFirst() > 0 && rounds.getLast() > 1.25 * rounds.getFirst();
        if (jit > 0.15 || climbing) {
            notWarm.add(scenario + ": " + (jit > 0.15 ? String.format(Locale.ROOT, "JIT compiler threads used %.2f cores", jit) : "")
                    + (jit > 0.15 && climbing ? "; " : "")
                    + (climbing ? String.format(Locale.ROOT, "throughput climbed from %s to %s/s over the rounds",
                            num(rounds.getFirst()), num(rounds.getLast())) : ""));
        }
    }

    void details(String scenario, PathResult r, boolean perRequestCpu, String unit) {
        StringBuilder b = new StringBuilder();
        b.append("- **").append(scenario).append(", ").append(r.path()).append("**: ")
                .append(r.ok()).append(" ok, ").append(r.errors()).append(" errors in ")
                .append(String.format(Locale.ROOT, "%.1f s", r.seconds()));
        if (r.rounds().size() > 1 && r.sendLag() == null) {
            b.append(" (rounds: ");
            for (int i = 0; i < r.rounds().size(); i++) b.append(i == 0 ? "" : ", ").append(num(r.rounds().get(i)));
            b.append(' ').append(unit).append(')');
        } else if (r.roundsP99().size() > 1) { // at a fixed rate every round has the same throughput
            b.append(" (rounds' p99: ");
            for (int i = 0; i < r.roundsP99().size(); i++) b.append(i == 0 ? "" : ", ").append(msText(ms(r.roundsP99().get(i))));
            b.append(')');
        }
        b.append("; latency ").append(distribution(r.latency()));
        if (r.ttft().getTotalCount() > 0) b.append("; first token ").append(distribution(r.ttft()));
        if (r.sendLag() != null) {
            b.append("; send lag p50/p99 ").append(msText(ms(percentile(r.sendLag(), 50)))).append(" / ")
                    .append(msText(ms(percentile(r.sendLag(), 99))));
        }
        if (r.slowBursts() != null) b.append("; slow requests: ").append(r.slowBursts().describe());
        CpuMeter.Usage cpu = r.cpu();
        if (cpu.gateway() >= 0) {
            b.append(String.format(Locale.ROOT, "; CPU (cores): %s %.2f, simulator %.2f, load generator %.2f, other processes %.2f,"
                    + " stolen by the hypervisor %.2f", subject, cpu.gateway(), cpu.simulator(), cpu.loadGenerator(), cpu.others(),
                    cpu.steal()));
            if (perRequestCpu && r.ok() > 0) {
                long n = r.ok() + r.errors();
                b.append(String.format(Locale.ROOT, "; CPU ms per %s: simulator %.3f, load generator %.3f",
                        unit.endsWith("/s") ? unit.substring(0, unit.length() - 2) : unit,
                        cpu.simulatorMsPer(n), cpu.loadGeneratorMsPer(n)));
                if (!r.path().startsWith("direct")) {
                    b.append(String.format(Locale.ROOT, ", %s %.3f", r.path(), cpu.gatewayMsPer(n)));
                }
            }
            if (!r.path().startsWith("direct") && cpu.gateway() > 0.05 && !cpu.gatewayThreads().isEmpty()) {
                b.append("; ").append(subject).append(" CPU by thread (cores):");
                cpu.gatewayThreads().entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                        .filter(e -> e.getValue() >= 0.005)
                        .forEach(e -> b.append(String.format(Locale.ROOT, " %s %.2f,", e.getKey(), e.getValue())));
                b.setLength(b.length() - 1);
            }
            if (cpu.others() + cpu.steal() > BUSY_MACHINE_CORES) {
                busyPhases.add(scenario + " (" + r.path() + "): " + String.format(Locale.ROOT,
                        "%.2f cores used by other processes, %.2f stolen by the hypervisor", cpu.others(), cpu.steal()));
            }
        }
        for (Map.Entry<String, Long> e : r.errorKinds().entrySet()) {
            b.append("\n  - error `").append(e.getKey()).append("`: ").append(e.getValue());
        }
        details.add(b.toString());
    }

    void detail(String line) {
        details.add(line);
    }

    /** Whether some row's scenario had failed requests. */
    boolean anyFailedRequests() {
        return flagged > 0;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        for (String h : header) out.append(h).append('\n');
        out.append('\n');
        String direct = againstBaseline ? "baseline" : "direct";
        out.append("| Scenario | Measure | " + (againstBaseline ? "Baseline (direct path)" : "Direct") + " | Through " + subject
                + " | " + subject + " vs " + direct + " | Target | Result | Errors (" + direct + " / " + subject + ") |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (String r : rows) out.append(r).append('\n');
        out.append('\n');
        if (flagged > 0) {
            out.append("**⚠ ").append(flagged).append(" row(s) had failed requests: see the error kinds below.**\n\n");
        }
        if (!busyPhases.isEmpty()) {
            out.append("**⚠ The machine was not quiet** (more than ").append(BUSY_MACHINE_CORES)
                    .append(" cores used by other processes or stolen by the hypervisor): numbers of these phases are"
                    + " suspect, rerun.\n");
            for (String p : busyPhases) out.append("- ").append(p).append('\n');
            out.append('\n');
        }
        if (!notWarm.isEmpty()) {
            out.append("**⚠ ").append(subject).append(" was not JIT-warm** in these phases (its numbers understate its"
                    + " steady state; a longer `--warmup-s` shows that):\n");
            for (String p : notWarm) out.append("- ").append(p).append('\n');
            out.append('\n');
        }
        out.append("## Details\n\n");
        for (String d : details) out.append(d).append('\n');
        if (!notes.isEmpty()) {
            out.append("\n## Notes\n\n");
            for (String n : notes) out.append("- ").append(n).append('\n');
        }
        return out.toString();
    }

    static long percentile(Histogram h, double p) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(p);
    }

    /** The median of durations in ns, in ms; NaN if there are none. */
    static double medianMs(List<Long> nanos) {
        if (nanos.isEmpty()) return Double.NaN;
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2) / 1e6;
    }

    static double ms(long nanos) {
        return nanos < 0 ? Double.NaN : nanos / 1e6;
    }

    static String msText(double ms) {
        if (Double.isNaN(ms)) return "n/a";
        return ms < 10 ? String.format(Locale.ROOT, "%.3f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String distribution(Histogram h) {
        if (h.getTotalCount() == 0) return "n/a";
        return "p50 " + msText(ms(h.getValueAtPercentile(50))) + ", p90 " + msText(ms(h.getValueAtPercentile(90)))
                + ", p99 " + msText(ms(h.getValueAtPercentile(99))) + ", p99.9 " + msText(ms(h.getValueAtPercentile(99.9)))
                + ", max " + msText(ms(h.getMaxValue()));
    }

    static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
