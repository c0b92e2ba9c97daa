package dev.gantry.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.GatewayConfig.TelemetrySettings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link Tracing#begin} makes of the caller's {@code traceparent} (W3C Trace Context, level 1). */
class TraceContextTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT = "00f067aa0ba902b7";

    final Tracing tracing = Tracing.start(new TelemetrySettings(URI.create("http://127.0.0.1:9/v1/traces"), "t", 1.0, Map.of()));

    @AfterEach
    void close() { tracing.close(); }

    @Test
    void aValidHeaderJoinsTheCallersTraceAndDecision() {
        TraceContext sampled = tracing.begin("00-" + TRACE + "-" + PARENT + "-01");
        assertThat(sampled.traceId).isEqualTo(TRACE);
        assertThat(sampled.parentSpanId).isEqualTo(PARENT);
        assertThat(sampled.sampled).isTrue();
        assertThat(sampled.traceparent()).matches("00-" + TRACE + "-[0-9a-f]{16}-01").doesNotContain(PARENT);
        TraceContext unsampled = tracing.begin("00-" + TRACE + "-" + PARENT + "-00");
        assertThat(unsampled.sampled).isFalse();
        assertThat(unsampled.traceparent()).endsWith("-00");
        assertThat(tracing.begin("01-" + TRACE + "-" + PARENT + "-01-future-field").parentSpanId).isEqualTo(PARENT);
    }

    @Test
    void anInvalidHeaderStartsATraceOfItsOwn() {
        for (String bad : new String[] {null, "", "garbage", "00-" + TRACE + "-" + PARENT, "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01",
                "00-00000000000000000000000000000000-" + PARENT + "-01", "00-" + TRACE + "-0000000000000000-01",
                "ff-" + TRACE + "-" + PARENT + "-01", "00-" + TRACE + "-" + PARENT + "-01-extra", "00-" + TRACE + "-" + PARENT + "-zz"}) {
            TraceContext c = tracing.begin(bad);
            assertThat(c.parentSpanId).as(bad).isNull();
            assertThat(c.traceId).as(bad).isNotEqualTo(TRACE).matches("[0-9a-f]{32}");
            assertThat(c.sampled).as(bad).isTrue(); // sample_ratio 1
        }
    }
}
