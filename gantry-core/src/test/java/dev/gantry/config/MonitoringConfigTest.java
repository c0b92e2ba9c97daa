package dev.gantry.config;

import static dev.gantry.config.ConfigErrorsTest.loading;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.GatewayConfig.AlertSettings;
import dev.gantry.config.GatewayConfig.ErrorRateAlert;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code telemetry:} and {@code alerts:}: off unless written, defaults filled, every field checked. */
class MonitoringConfigTest {

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "gantry.yaml", name -> name.equals("OTEL_TOKEN") ? "tok-123" : null);
    }

    @Test
    void withoutTheSectionsThereIsNoTracingAndOnlyBudgetAlerts() {
        var config = parse("governance: { alert_webhook: \"https://hooks.example.com/x\" }");
        assertThat(config.monitoring().telemetry()).isEmpty();
        assertThat(config.monitoring().alerts()).isEqualTo(AlertSettings.NONE);
        assertThat(ConfigLoader.defaults().monitoring()).isEqualTo(GatewayConfig.MonitoringSettings.NONE);
    }

    @Test
    void telemetryTakesTheCollectorsBaseAddressAndFillsDefaults() {
        var t = parse("""
                telemetry:
                  otlp_endpoint: http://collector:4318/
                  headers: { authorization: "Bearer ${OTEL_TOKEN}" }
                """).monitoring().telemetry().orElseThrow();
        assertThat(t.tracesUrl()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
        assertThat(t.serviceName()).isEqualTo("gantry");
        assertThat(t.sampleRatio()).isEqualTo(1.0);
        assertThat(t.headers()).isEqualTo(Map.of("authorization", "Bearer tok-123"));
        assertThat(t.toString()).doesNotContain("tok-123");
    }

    @Test
    void aFullTracesUrlIsKept() {
        var t = parse("telemetry: { otlp_endpoint: \"https://otel.example.com/v1/traces\", service_name: gw-eu, sample_ratio: 0.1 }")
                .monitoring().telemetry().orElseThrow();
        assertThat(t.tracesUrl()).isEqualTo(URI.create("https://otel.example.com/v1/traces"));
        assertThat(t.serviceName()).isEqualTo("gw-eu");
        assertThat(t.sampleRatio()).isEqualTo(0.1);
    }

    @Test
    void badTelemetryFieldsAreNamedWithTheirLine() {
        loading("""
                telemetry:
                  otlp_endpoint: http://collector:4318
                  sample_ratio: 1.5
                """).hasMessage("bad.yaml line 3: telemetry.sample_ratio: must be between 0 and 1, got 1.5");
        loading("""
                telemetry:
                  otlp_endpoint: collector:4318
                """).hasMessage("bad.yaml line 2: telemetry.otlp_endpoint: must be an http:// or https:// URL, got 'collector:4318'");
        loading("""
                telemetry:
                  service_name: gantry
                """).hasMessageStartingWith("bad.yaml line 2: telemetry.otlp_endpoint: is required when other telemetry fields are set");
        loading("""
                telemetry:
                  otlp_endpoint: http://collector:4318
                  exporter: grpc
                """).hasMessageStartingWith("bad.yaml line 3: unknown field 'exporter' in telemetry (known: headers, otlp_endpoint,");
    }

    @Test
    void alertsFallBackToTheGovernanceWebhookAndDefaultToOn() {
        var alerts = parse("""
                governance: { alert_webhook: "https://hooks.example.com/budget" }
                alerts: {}
                """).monitoring().alerts();
        assertThat(alerts.webhook()).contains(URI.create("https://hooks.example.com/budget"));
        assertThat(alerts.deploymentDown()).isTrue();
        assertThat(alerts.errorRate()).contains(new ErrorRateAlert(0.25, Duration.ofSeconds(300), 20));
    }

    @Test
    void alertsCanHaveTheirOwnWebhookAndTurnPartsOff() {
        var alerts = parse("""
                governance: { alert_webhook: "https://hooks.example.com/budget" }
                alerts:
                  webhook: https://hooks.example.com/ops
                  deployment_down: false
                  error_rate: { threshold: 0.5, window_seconds: 60, min_requests: 5 }
                """).monitoring().alerts();
        assertThat(alerts.webhook()).contains(URI.create("https://hooks.example.com/ops"));
        assertThat(alerts.deploymentDown()).isFalse();
        assertThat(alerts.errorRate()).contains(new ErrorRateAlert(0.5, Duration.ofSeconds(60), 5));
        assertThat(parse("alerts: { error_rate: { enabled: false } }").monitoring().alerts())
                .isEqualTo(new AlertSettings(Optional.empty(), true, Optional.empty()));
    }

    @Test
    void theExampleFilesCommentedOutMonitoringBlockIsValidOnceUncommented() throws java.io.IOException {
        String example = java.nio.file.Files.readString(java.nio.file.Path.of("..", "gantry.example.yaml"));
        String uncommented = example.replaceAll("(?m)^# ((telemetry|governance|alerts):.*|  .*)$", "$1");
        assertThat(uncommented).contains("\ntelemetry:\n").contains("\nalerts:\n");
        var config = ConfigLoader.parse(uncommented, "gantry.example.yaml",
                name -> name.equals("SLACK_WEBHOOK_URL") ? "https://hooks.slack.com/services/T0/B0/X" : name.equals("OTEL_TOKEN") ? "t" : null);
        assertThat(config.monitoring().telemetry().orElseThrow().tracesUrl()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
        assertThat(config.monitoring().alerts().webhook()).contains(URI.create("https://hooks.slack.com/services/T0/B0/X"));
        assertThat(config.monitoring().alerts().errorRate()).contains(new ErrorRateAlert(0.25, Duration.ofSeconds(300), 20));
    }

    @Test
    void badAlertFieldsAreNamedWithTheirLine() {
        loading("""
                alerts:
                  error_rate:
                    threshold: 25
                """).hasMessage("bad.yaml line 3: alerts.error_rate.threshold: must be a share of requests above 0 and at most 1 "
                + "(0.25 is 25 %), got 25.0");
        loading("""
                alerts:
                  error_rate: { window_seconds: 1 }
                """).hasMessage("bad.yaml line 2: alerts.error_rate.window_seconds: must be between 10 and 86400, got 1");
        loading("""
                alerts:
                  webhook: "slack"
                """).hasMessage("bad.yaml line 2: alerts.webhook: must be an http:// or https:// URL, got 'slack'");
    }
}
