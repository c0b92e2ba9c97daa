package dev.gantry.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Price;
import dev.gantry.catalog.Provider;
import dev.gantry.catalog.ProviderType;
import dev.gantry.catalog.Secret;
import dev.gantry.catalog.Timeouts;
import dev.gantry.routing.DeploymentPicker;
import dev.gantry.routing.QueuePolicy;
import dev.gantry.routing.RetryPolicy;
import dev.gantry.routing.Strategy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-deployment gauges follow the catalog through reloads. */
class DeploymentGaugesTest {
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final DeploymentPicker picker = new DeploymentPicker(System::nanoTime, 3, Duration.ofSeconds(30));

    @Test
    void aDeploymentWhoseSettingsAReloadChangedIsMeasuredFromItsNewState() {
        metrics.deployments(catalog(deployment("a", 10)), picker);

        Model reloaded = model(deployment("a", 20)); // same server, new cap: a new routing state
        metrics.deployments(new ModelCatalog(List.of(reloaded)), picker);
        picker.acquire(reloaded, Set.of()).orElseThrow();
        picker.acquire(reloaded, Set.of()).orElseThrow();

        assertThat(metrics.scrape()).contains("gantry_deployment_in_flight{deployment=\"a/m\"} 2.0");
    }

    @Test
    void aDeploymentAReloadRemovedLosesItsGauges() {
        metrics.deployments(catalog(deployment("a", 0), deployment("b", 0)), picker);
        assertThat(metrics.scrape()).contains("deployment=\"b/m\"");

        metrics.deployments(catalog(deployment("a", 0)), picker);

        assertThat(metrics.scrape()).contains("gantry_deployment_available{deployment=\"a/m\"} 1.0")
                .doesNotContain("deployment=\"b/m\"");
    }

    private static Deployment deployment(String provider, int maxConcurrent) {
        var p = new Provider(provider, ProviderType.OPENAI, URI.create("http://" + provider + ":8000/v1"), new Secret(""),
                Map.of(), Timeouts.DEFAULT, false, Optional.empty(), Optional.empty());
        return new Deployment(p, "m", 1, 0, maxConcurrent, Timeouts.DEFAULT, Optional.empty(), 0);
    }

    private static Model model(Deployment... deployments) {
        return new Model("model", List.of(), List.of(deployments), Price.FREE, Strategy.ROUND_ROBIN, List.of(),
                RetryPolicy.DEFAULT, QueuePolicy.DEFAULT, true, Optional.empty());
    }

    private static ModelCatalog catalog(Deployment... deployments) {
        return new ModelCatalog(List.of(model(deployments)));
    }
}
