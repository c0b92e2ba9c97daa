package dev.gantry.server.alerts;

import dev.gantry.config.GatewayConfig.ErrorRateAlert;
import dev.gantry.server.usage.UsageEvent;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.UsageRecord;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alerts when a model's share of failed requests over a sliding window crosses
 * {@code alerts.error_rate.threshold} (with at least {@code min_requests} in the window), and once
 * more when it is back under it. A failure is what the model's servers caused: a 5xx answer or a
 * stream cut off; client errors, refusals and clients that left do not count.
 *
 * <p>Design: fed by the usage recorder's spool thread with each measured request (never the
 * request path), and by a timer ({@link #tick}) so that a model whose traffic stopped still gets
 * its "back to normal". Each model's window is a ring of {@value #BUCKETS} time buckets; both
 * callers take this object's lock, which is uncontended in practice.
 */
public final class ErrorRateAlerts {
    static final int BUCKETS = 30;

    private final ErrorRateAlert settings;
    private final AlertSink sender;
    private final Clock clock;
    private final long bucketMillis;
    private final Map<String, Window> windows = new HashMap<>();

    public ErrorRateAlerts(ErrorRateAlert settings, AlertSink sender, Clock clock) {
        this.settings = settings;
        this.sender = sender;
        this.clock = clock;
        this.bucketMillis = Math.max(1, settings.window().toMillis() / BUCKETS);
    }

    /** One measured request (a usage recorder listener). */
    public synchronized void completed(UsageEvent e, UsageRecord r) {
        if (e.model() == null || e.keyId() == null || e.outcome() == Outcome.CANCELLED) return;
        boolean failed = e.outcome() == Outcome.STREAM_CUT || e.httpStatus() >= 500;
        long now = clock.millis();
        Window w = windows.computeIfAbsent(e.model().name(), n -> new Window());
        w.add(now / bucketMillis, failed);
        evaluate(e.model().name(), w, now);
    }

    /** Re-evaluates every model as the window slides. */
    public synchronized void tick() {
        long now = clock.millis();
        windows.forEach((model, w) -> evaluate(model, w, now));
    }

    private void evaluate(String model, Window w, long now) {
        w.sum(now / bucketMillis);
        boolean high = w.requests > 0 && w.failures >= settings.threshold() * w.requests;
        if (!w.alerting && high && w.requests >= settings.minRequests()) {
            w.alerting = true;
            sender.send("error_rate_high", "Gantry: model '" + model + "' is failing: " + counts(w) + " (" + percent(w)
                    + ", alert threshold " + percent(settings.threshold()) + ").", fields(model, w, "high"));
        } else if (w.alerting && !high) {
            w.alerting = false;
            sender.send("error_rate_normal", "Gantry: model '" + model + "' is back to normal: " + counts(w) + " ("
                    + percent(w) + ").", fields(model, w, "normal"));
        }
    }

    private Map<String, Object> fields(String model, Window w, String state) {
        var f = new LinkedHashMap<String, Object>();
        f.put("model", model);
        f.put("state", state);
        f.put("requests", w.requests);
        f.put("failures", w.failures);
        f.put("error_rate", w.requests == 0 ? 0.0 : (double) w.failures / w.requests);
        f.put("threshold", settings.threshold());
        f.put("window_seconds", settings.window().toSeconds());
        return f;
    }

    private String counts(Window w) {
        return w.failures + " of its " + w.requests + " requests in the last " + settings.window().toSeconds() + " s failed";
    }

    private static String percent(Window w) {
        return percent(w.requests == 0 ? 0 : (double) w.failures / w.requests);
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    /** Counts per time bucket; {@code stamp} says which bucket number a slot holds now. */
    private static final class Window {
        final long[] stamp = new long[BUCKETS];
        final int[] total = new int[BUCKETS];
        final int[] failed = new int[BUCKETS];
        boolean alerting;
        long requests;
        long failures;

        Window() {
            java.util.Arrays.fill(stamp, Long.MIN_VALUE);
        }

        void add(long bucket, boolean failure) {
            int i = (int) Math.floorMod(bucket, (long) BUCKETS);
            if (stamp[i] != bucket) {
                stamp[i] = bucket;
                total[i] = 0;
                failed[i] = 0;
            }
            total[i]++;
            if (failure) failed[i]++;
        }

        /** Totals of the buckets still inside the window ending at {@code bucket}. */
        void sum(long bucket) {
            requests = 0;
            failures = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (stamp[i] > bucket - BUCKETS && stamp[i] <= bucket) {
                    requests += total[i];
                    failures += failed[i];
                }
            }
        }
    }
}
