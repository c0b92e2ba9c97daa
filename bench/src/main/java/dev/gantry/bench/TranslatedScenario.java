package dev.gantry.bench;

import java.util.List;
import java.util.Locale;

/**
 * Protocol translation against pass-through, on the same OpenAI-compatible upstream: an Anthropic
 * Messages client ({@code POST /v1/messages}, {@code stream: true}) asking for {@code bench-model},
 * whose deployment is on the {@code openai}-type provider, so that Gantry translates the request to
 * Chat Completions and the Chat stream back to Anthropic events; next to an OpenAI Chat client
 * streaming the same model, passed through.
 *
 * <p>Each path is measured direct and through Gantry. Direct for the translated path is the
 * simulator's own Anthropic endpoint, whose stream carries the same 50 text deltas: so "added" is
 * what a client sees change when it goes through Gantry, on either protocol. The four legs are
 * measured in one scenario, the saturation order rotating round by round, so that the ratio of the
 * two added latencies (target: translated ≤ 2× pass-through) compares like with like on a machine
 * whose speed drifts.
 *
 * <p>The preflight reads one translated stream whole and checks it event by event: a client
 * that got an OpenAI stream, or no {@code message_stop}, would otherwise only show as an error
 * count. Under load a stream counts as ok only if it ends with {@code message_stop} ({@link Api}).
 */
final class TranslatedScenario {
    /** Added latency of the translated path may be at most this many times that of pass-through. */
    private static final double MAX_RATIO = 2.0;

    private final Options o;
    private final Phases phases;
    private final Report report;
    private final Leg[] legs;

    TranslatedScenario(Options o, Phases phases, Report report, Target direct, Target gantry) {
        this.o = o;
        this.phases = phases;
        this.report = report;
        Request chat = Request.chat(Bodies.chat(o.model, true, o.streamUsage), true);
        Request messages = Request.messages(Bodies.messages(o.model, true), true);
        this.legs = new Leg[] {
            new Leg("direct, Chat", direct, chat),
            new Leg(gantry.name() + ", Chat passed through", gantry, chat),
            new Leg("direct, Messages", direct, messages),
            new Leg(gantry.name() + ", Messages translated", gantry, messages),
        };
    }

    /** One Anthropic stream direct and one through Gantry, each checked event by event. */
    boolean preflight() throws Exception {
        boolean ok = true;
        for (Leg leg : new Leg[] {legs[2], legs[3]}) {
            Call call = phases.once(leg.target(), leg.request());
            List<String> problems = call.ok() ? AnthropicStreamCheck.problems(call.body(), o.chunks) : List.of(call.error);
            if (!problems.isEmpty()) {
                System.err.println("bench: preflight " + leg.label() + " stream is not a whole Anthropic stream: "
                        + String.join("; ", problems) + " (status " + call.status + ")");
                ok = false;
            } else {
                String summary = AnthropicStreamCheck.summary(call.body());
                BenchMain.log("preflight " + leg.label() + " stream: HTTP " + call.status + ", " + summary);
                report.note("Preflight, " + leg.label() + ": one stream read whole and checked event by event: " + summary
                        + "; no OpenAI chunk or `[DONE]` in it.");
            }
        }
        return ok;
    }

    void run() throws Exception {
        warmUp();
        fixedRate();
        saturation();
    }

    /** The warm-up of the run sends Chat only: the translation's code needs its own before it is measured. */
    private void warmUp() throws Exception {
        String name = "Warm-up of the translated path (Anthropic streams, 32 connections)";
        long third = Options.ms(o.translatedWarmupS / 3);
        report.details(name, phases.warmUp(legs[2].label(), legs[2].target(), new Request[] {legs[2].request()}, 32, third),
                false, "streams/s");
        report.details(name, phases.warmUp(legs[3].label(), legs[3].target(), new Request[] {legs[3].request()}, 32,
                Options.ms(o.translatedWarmupS) - third), false, "streams/s");
    }

    private void fixedRate() throws Exception {
        String name = o.chunks + "-chunk streams at " + Report.num(o.ttftRate) + " streams/s";
        PathResult[] r = phases.fixedRate(name, legs, o.ttftRate, o.translatedS, o.translatedRounds);
        String pass = "Pass-through (Chat client, OpenAI upstream): " + name;
        String translated = "Translated (Anthropic client, OpenAI upstream): " + name;
        rows(pass, r[0], r[1]);
        rows(translated, r[2], r[3]);
        String both = "Translated vs pass-through, added latency at " + Report.num(o.ttftRate) + " streams/s";
        report.addedRatioRow(both, "time to first token, p50", 50, true, "pass-through", r[0], r[1], "translated", r[2], r[3],
                MAX_RATIO);
        report.addedRatioRow(both, "whole stream, p50", 50, false, "pass-through", r[0], r[1], "translated", r[2], r[3],
                MAX_RATIO);
        report.addedRatioRow(both, "time to first token, p99", 99, true, "pass-through", r[0], r[1], "translated", r[2], r[3],
                Double.NaN);
        report.addedRatioRow(both, "whole stream, p99", 99, false, "pass-through", r[0], r[1], "translated", r[2], r[3],
                Double.NaN);
        for (PathResult p : r) report.details(p.path().contains("Messages") ? translated : pass, p, true, "streams/s");
        report.warmthCheck(pass, r[1]); // measured while the translation's code may still be compiling
        report.warmthCheck(translated, r[3]);
    }

    private void rows(String scenario, PathResult direct, PathResult gantry) {
        report.addedRow(scenario, "time to first token, p50", 50, true, direct, gantry, Double.NaN);
        report.addedRow(scenario, "time to first token, p99", 99, true, direct, gantry, Double.NaN);
        report.addedRow(scenario, "whole stream, p50", 50, false, direct, gantry, Double.NaN);
        report.addedRow(scenario, "whole stream, p99", 99, false, direct, gantry, Double.NaN);
    }

    private void saturation() throws Exception {
        String name = o.chunks + "-chunk streams, saturation (" + o.streamConnections + " connections)";
        PathResult[] r = phases.saturation(name, legs, o.streamConnections, o.translatedRounds, o.translatedSaturationS,
                "streams/s");
        String pass = "Pass-through (Chat client, OpenAI upstream): " + name;
        String translated = "Translated (Anthropic client, OpenAI upstream): " + name;
        report.ratioRow(pass, "throughput", "streams/s", r[0], r[1], Double.NaN, "");
        report.ratioRow(translated, "throughput", "streams/s", r[2], r[3], Double.NaN, "");
        double vs = r[1].throughput() <= 0 ? 0 : r[3].throughput() / r[1].throughput();
        report.gantryRow("Translated vs pass-through: " + name, "throughput through " + o.subject,
                String.format(Locale.ROOT, "%s vs %s streams/s (%.2f×)", Report.num(r[3].throughput()),
                        Report.num(r[1].throughput()), vs), "— (for information)", null, r[1].errors() + r[3].errors());
        for (PathResult p : r) report.details(p.path().contains("Messages") ? translated : pass, p, true, "streams/s");
        report.warmthCheck(pass, r[1]); // measured while the translation's code may still be compiling
        report.warmthCheck(translated, r[3]);
    }
}
