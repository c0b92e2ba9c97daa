package dev.gantry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Out-of-band calls between phases (never during a measurement): the simulator's
 * {@code /sim/behaviour} and {@code /sim/stats}, and Gantry's {@code /metrics}.
 */
final class Control {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI simulator;
    private final URI gateway;

    Control(URI simulator, URI gateway) {
        this.simulator = simulator;
        this.gateway = gateway;
    }

    /** Replaces the simulator's behaviour (fields left out take the healthy defaults). */
    void simulatorBehaviour(String json) {
        String answer = send(HttpRequest.newBuilder(simulator.resolve("/sim/behaviour"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)), 200);
        BenchMain.log("simulator behaviour: " + answer);
    }

    String simulatorStats() {
        return send(HttpRequest.newBuilder(simulator.resolve("/sim/stats")).GET(), 200);
    }

    /** The Prometheus text of Gantry's {@code /metrics}. */
    String gatewayMetrics() {
        return send(HttpRequest.newBuilder(gateway.resolve("/metrics")).GET(), 200);
    }

    /**
     * Gantry's {@code GET /api/v1/deployments} (every deployment's live state and request count),
     * read with the admin key.
     */
    io.vertx.core.json.JsonObject gatewayDeployments(String adminKey) {
        return new io.vertx.core.json.JsonObject(send(HttpRequest.newBuilder(gateway.resolve("/api/v1/deployments"))
                .header("authorization", "Bearer " + adminKey).GET(), 200));
    }

    /** Sum of the samples of a metric (all label sets) in a Prometheus text, or -1 if absent. */
    static double metricSum(String prometheusText, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("#")) continue;
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String[] parts = line.trim().split("\\s+");
                try {
                    sum += Double.parseDouble(parts[parts.length - 1]);
                    found = true;
                } catch (NumberFormatException e) {
                    // a timestamp or odd value: skip
                }
            }
        }
        return found ? sum : -1;
    }

    private String send(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + request.build().uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
