package dev.gantry.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.Model;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig.ErrorRateAlert;
import dev.gantry.protocol.Endpoint;
import dev.gantry.server.policy.Grant;
import dev.gantry.server.usage.UsageEvent;
import dev.gantry.usage.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sliding window of {@link ErrorRateAlerts}, on a hand-moved clock, with no network. */
class ErrorRateAlertsTest {
    final Model model = ConfigLoader.parse("""
            providers: [ { name: p, type: openai, base_url: "http://127.0.0.1:9/v1" } ]
            models: [ { name: m, deployments: [ { provider: p, model: x } ] } ]
            """, "t.yaml", name -> null).catalog().find("m").orElseThrow();
    final Model other = ConfigLoader.parse("""
            providers: [ { name: p, type: openai, base_url: "http://127.0.0.1:9/v1" } ]
            models: [ { name: n, deployments: [ { provider: p, model: y } ] } ]
            """, "t.yaml", name -> null).catalog().find("n").orElseThrow();
    final MovableClock clock = new MovableClock();
    final List<String> sent = new ArrayList<>();
    final ErrorRateAlerts alerts = new ErrorRateAlerts(new ErrorRateAlert(0.5, Duration.ofSeconds(60), 4),
            (kind, text, fields) -> sent.add(kind + ": " + text), clock);

    @Test
    void fewerRequestsThanTheMinimumNeverAlert() {
        for (int i = 0; i < 3; i++) alerts.completed(event(model, 502, Outcome.ERROR), null);
        assertThat(sent).isEmpty();
        alerts.completed(event(model, 500, Outcome.ERROR), null);
        assertThat(sent).containsExactly("error_rate_high: Gantry: model 'm' is failing: 4 of its 4 requests in the last 60 s "
                + "failed (100%, alert threshold 50%).");
    }

    @Test
    void clientErrorsAndDepartedClientsDoNotCountStreamCutsDo() {
        for (int i = 0; i < 4; i++) alerts.completed(event(model, 400, Outcome.ERROR), null);
        for (int i = 0; i < 4; i++) alerts.completed(event(model, 499, Outcome.CANCELLED), null);
        assertThat(sent).isEmpty();
        for (int i = 0; i < 4; i++) alerts.completed(event(model, 200, Outcome.STREAM_CUT), null);
        assertThat(sent).singleElement().asString().startsWith("error_rate_high: Gantry: model 'm' is failing: 4 of its 8");
    }

    @Test
    void failuresAgeOutOfTheWindowAndTheTickNoticesWithoutTraffic() {
        for (int i = 0; i < 4; i++) alerts.completed(event(model, 500, Outcome.ERROR), null);
        alerts.completed(event(other, 200, Outcome.OK), null); // another model keeps its own window
        assertThat(sent).hasSize(1);
        clock.advance(Duration.ofSeconds(30));
        alerts.tick();
        assertThat(sent).hasSize(1);
        clock.advance(Duration.ofSeconds(31));
        alerts.tick();
        assertThat(sent).hasSize(2).last().asString()
                .isEqualTo("error_rate_normal: Gantry: model 'm' is back to normal: 0 of its 0 requests in the last 60 s failed (0%).");
        alerts.tick();
        assertThat(sent).hasSize(2);
    }

    @Test
    void aSecondSpikeAfterRecoveryAlertsAgain() {
        for (int i = 0; i < 4; i++) alerts.completed(event(model, 500, Outcome.ERROR), null);
        for (int i = 0; i < 5; i++) alerts.completed(event(model, 200, Outcome.OK), null);
        for (int i = 0; i < 2; i++) alerts.completed(event(model, 503, Outcome.ERROR), null);
        assertThat(sent).extracting(s -> s.substring(0, s.indexOf(':')))
                .containsExactly("error_rate_high", "error_rate_normal", "error_rate_high");
    }

    private UsageEvent event(Model m, int status, Outcome outcome) {
        return new UsageEvent("r", clock.instant(), "key", null, null, Endpoint.CHAT_COMPLETIONS, m, m.name(),
                m.deployments().getFirst(), status, outcome, 1_000_000, -1, false, false, null, new byte[0], null, Grant.NONE, null);
    }

    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T12:00:00Z");

        void advance(Duration d) { now = now.plus(d); }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
