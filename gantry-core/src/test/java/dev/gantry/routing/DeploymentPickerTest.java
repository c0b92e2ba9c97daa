package dev.gantry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Price;
import dev.gantry.catalog.Provider;
import dev.gantry.catalog.ProviderType;
import dev.gantry.catalog.Secret;
import dev.gantry.catalog.Timeouts;
import dev.gantry.routing.DeploymentPicker.Shortage;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Picking a deployment: what makes one eligible, why none is, and each strategy's choice. */
class DeploymentPickerTest {
    static final Duration COOLDOWN = Duration.ofSeconds(30);
    static final int THRESHOLD = 3;

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final DeploymentPicker picker = new DeploymentPicker(clock::get, THRESHOLD, COOLDOWN);

    static Provider provider(String name) {
        return new Provider(name, ProviderType.OPENAI, URI.create("http://" + name + ":8000/v1"), new Secret(""),
                Map.of(), Timeouts.DEFAULT, false, Optional.empty(), Optional.empty());
    }

    static Deployment deployment(String provider, int weight, int priority, int maxConcurrent, Optional<Price> price) {
        return new Deployment(provider(provider), "m", weight, priority, maxConcurrent, Timeouts.DEFAULT, price, 0);
    }

    static Deployment deployment(String provider) {
        return deployment(provider, 1, 0, 0, Optional.empty());
    }

    static Model model(Strategy strategy, Deployment... deployments) {
        return new Model("model", List.of(), List.of(deployments), Price.FREE, strategy, List.of(), RetryPolicy.DEFAULT,
                QueuePolicy.DEFAULT, true, java.util.Optional.empty());
    }

    private Optional<String> acquireId(Model model, Set<String> tried) {
        return picker.acquire(model, tried).map(h -> h.deployment().id());
    }

    private String acquireAndRelease(Model model) {
        DeploymentHealth h = picker.acquire(model, Set.of()).orElseThrow();
        h.releaseNeutral();
        return h.deployment().provider().name();
    }

    // --- eligibility

    @Test
    void aDeploymentAtItsConcurrencyCapIsNotPickedUntilItsSlotIsReleased() {
        var m = model(Strategy.PRIORITY, deployment("a", 1, 0, 1, Optional.empty()));

        DeploymentHealth first = picker.acquire(m, Set.of()).orElseThrow();
        assertThat(first.inFlight()).isEqualTo(1);
        assertThat(picker.acquire(m, Set.of())).isEmpty();
        assertThat(picker.hasFreeSlot(m)).isFalse();

        first.releaseSuccess(-1);

        assertThat(picker.hasFreeSlot(m)).isTrue();
        assertThat(picker.acquire(m, Set.of())).isPresent();
    }

    @Test
    void everyReleaseGivesTheSlotBack() {
        var m = model(Strategy.PRIORITY, deployment("a", 1, 0, 1, Optional.empty()));

        picker.acquire(m, Set.of()).orElseThrow().releaseFailure(clock.get());
        picker.acquire(m, Set.of()).orElseThrow().releaseNeutral();
        picker.acquire(m, Set.of()).orElseThrow().releaseOverloaded(clock.get(), Duration.ZERO);
        DeploymentHealth last = picker.acquire(m, Set.of()).orElseThrow();

        assertThat(last.inFlight()).isEqualTo(1);
        assertThat(last.requests()).isEqualTo(4);
        assertThat(last.failures()).isEqualTo(1);
    }

    @Test
    void aDeploymentWithoutACapTakesAnyNumberOfRequests() {
        var m = model(Strategy.PRIORITY, deployment("a"));

        for (int i = 0; i < 100; i++) assertThat(picker.acquire(m, Set.of())).isPresent();
        assertThat(picker.health(m.deployments().getFirst()).inFlight()).isEqualTo(100);
    }

    @Test
    void triedDeploymentsAreExcluded() {
        var m = model(Strategy.PRIORITY, deployment("a", 1, 0, 0, Optional.empty()), deployment("b", 1, 1, 0, Optional.empty()));

        assertThat(acquireId(m, Set.of("a/m"))).contains("b/m");
        assertThat(acquireId(m, Set.of("a/m", "b/m"))).isEmpty();
    }

    @Test
    void aDeploymentCoolsDownAfterA429UntilItsRetryAfterPassed() {
        var m = model(Strategy.PRIORITY, deployment("a"));
        picker.acquire(m, Set.of()).orElseThrow().releaseOverloaded(clock.get(), Duration.ofSeconds(5));

        clock.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
        assertThat(picker.acquire(m, Set.of())).isEmpty();
        assertThat(picker.isAvailable(m.deployments().getFirst())).isFalse();

        clock.addAndGet(1);
        assertThat(picker.acquire(m, Set.of())).isPresent();
    }

    @Test
    void aCoolingDeploymentIsSkippedForAnother() {
        var m = model(Strategy.PRIORITY, deployment("a", 1, 0, 0, Optional.empty()), deployment("b", 1, 1, 0, Optional.empty()));
        picker.acquire(m, Set.of()).orElseThrow().releaseOverloaded(clock.get(), Duration.ofSeconds(5));

        assertThat(acquireId(m, Set.of())).contains("b/m");
    }

    @Test
    void aProviderProbedDownGetsNoRequestsUntilProbedUp() {
        var m = model(Strategy.PRIORITY, deployment("a", 1, 0, 0, Optional.empty()), deployment("b", 1, 1, 0, Optional.empty()));

        picker.probed("a", false);
        assertThat(acquireId(m, Set.of())).contains("b/m");
        assertThat(picker.isAvailable(m.deployments().getFirst())).isFalse();

        picker.probed("a", true);
        assertThat(acquireId(m, Set.of())).contains("a/m");
    }

    @Test
    void aDeploymentIsAvailableWhenTheClockReadsNegative() {
        // System.nanoTime may be negative: a deployment never told to cool down must not look cooling
        clock.set(-5_000_000_000L);
        var m = model(Strategy.PRIORITY, deployment("a"));

        assertThat(picker.acquire(m, Set.of())).isPresent();
    }

    // --- shortage

    @Test
    void shortageIsAtCapacityWhenAnUntriedDeploymentIsHealthyButFull() {
        var m = model(Strategy.PRIORITY, deployment("a", 1, 0, 1, Optional.empty()));
        picker.acquire(m, Set.of()).orElseThrow();

        assertThat(picker.shortage(m, Set.of())).isEqualTo(Shortage.AT_CAPACITY);
    }

    @Test
    void shortageIsUnavailableWhenEveryUntriedDeploymentIsCoolingOrDownOrBroken() {
        var cooling = deployment("a");
        var down = deployment("b");
        var broken = deployment("c");
        var m = model(Strategy.PRIORITY, cooling, down, broken);
        picker.health(cooling).tryAcquire(clock.get());
        picker.health(cooling).releaseOverloaded(clock.get(), Duration.ofSeconds(5));
        picker.probed("b", false);
        for (int i = 0; i < THRESHOLD; i++) {
            picker.health(broken).tryAcquire(clock.get());
            picker.health(broken).releaseFailure(clock.get());
        }

        assertThat(picker.acquire(m, Set.of())).isEmpty();
        assertThat(picker.shortage(m, Set.of())).isEqualTo(Shortage.UNAVAILABLE);
    }

    @Test
    void shortageIsExhaustedWhenEveryDeploymentWasTried() {
        var m = model(Strategy.PRIORITY, deployment("a"), deployment("b"));

        assertThat(picker.shortage(m, Set.of("a/m", "b/m"))).isEqualTo(Shortage.EXHAUSTED);
    }

    @Test
    void shortageLooksOnlyAtUntriedDeployments() {
        var full = deployment("a", 1, 0, 1, Optional.empty());
        var m = model(Strategy.PRIORITY, full, deployment("b"));
        picker.acquire(model(Strategy.PRIORITY, full), Set.of()).orElseThrow();
        picker.probed("b", false);

        assertThat(picker.shortage(m, Set.of())).isEqualTo(Shortage.AT_CAPACITY);
        assertThat(picker.shortage(m, Set.of("a/m"))).isEqualTo(Shortage.UNAVAILABLE);
    }

    // --- circuit breaker

    @Test
    void theBreakerOpensAfterThresholdFailuresAndTheDeploymentIsSkipped() {
        var m = model(Strategy.PRIORITY, deployment("a"));
        for (int i = 0; i < THRESHOLD - 1; i++) picker.acquire(m, Set.of()).orElseThrow().releaseFailure(clock.get());
        DeploymentHealth h = picker.health(m.deployments().getFirst());
        assertThat(h.breakerState(clock.get())).isEqualTo(CircuitBreaker.State.CLOSED);

        picker.acquire(m, Set.of()).orElseThrow().releaseFailure(clock.get());

        assertThat(h.breakerState(clock.get())).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(picker.acquire(m, Set.of())).isEmpty();
    }

    @Test
    void afterTheCooldownOneProbeIsLetThroughAndItsSuccessCloses() {
        var m = model(Strategy.PRIORITY, deployment("a"));
        for (int i = 0; i < THRESHOLD; i++) picker.acquire(m, Set.of()).orElseThrow().releaseFailure(clock.get());
        clock.addAndGet(COOLDOWN.toNanos());

        DeploymentHealth probe = picker.acquire(m, Set.of()).orElseThrow();
        assertThat(picker.acquire(m, Set.of())).isEmpty();
        assertThat(probe.inFlight()).isEqualTo(1); // the refused request gave its slot back

        probe.releaseSuccess(-1);
        assertThat(picker.acquire(m, Set.of())).isPresent();
        assertThat(picker.acquire(m, Set.of())).isPresent();
    }

    // --- strategies

    @Test
    void priorityPicksTheLowestPriorityWhileItIsAvailable() {
        var primary = deployment("primary", 1, 0, 1, Optional.empty());
        var backup = deployment("backup", 1, 5, 0, Optional.empty());
        var m = model(Strategy.PRIORITY, backup, primary);

        for (int i = 0; i < 20; i++) assertThat(acquireAndRelease(m)).isEqualTo("primary");
        picker.acquire(m, Set.of()).orElseThrow(); // takes primary's only slot
        assertThat(acquireId(m, Set.of())).contains("backup/m");
    }

    @Test
    void roundRobinAlternates() {
        var m = model(Strategy.ROUND_ROBIN, deployment("a"), deployment("b"));

        var picks = new java.util.ArrayList<String>();
        for (int i = 0; i < 6; i++) picks.add(acquireAndRelease(m));

        for (int i = 1; i < picks.size(); i++) assertThat(picks.get(i)).isNotEqualTo(picks.get(i - 1));
    }

    @Test
    void leastInflightPicksTheIdleDeployment() {
        var m = model(Strategy.LEAST_INFLIGHT, deployment("a"), deployment("b"));
        String busy = picker.acquire(m, Set.of()).orElseThrow().deployment().provider().name();
        String idle = busy.equals("a") ? "b" : "a";

        for (int i = 0; i < 20; i++) assertThat(acquireAndRelease(m)).isEqualTo(idle);
    }

    @Test
    void cheapestPicksTheDeploymentWithTheLowerPrice() {
        var dear = deployment("dear", 1, 0, 0, Optional.of(new Price(3_000_000, 15_000_000, 300_000)));
        var cheap = deployment("cheap", 1, 0, 0, Optional.of(new Price(140_000, 280_000, 14_000)));
        var m = model(Strategy.CHEAPEST, dear, cheap);

        for (int i = 0; i < 20; i++) assertThat(acquireAndRelease(m)).isEqualTo("cheap");
    }

    @Test
    void cheapestFallsBackToTheModelPriceForADeploymentWithoutItsOwn() {
        var dear = deployment("dear", 1, 0, 0, Optional.of(new Price(3_000_000, 15_000_000, 300_000)));
        var m = model(Strategy.CHEAPEST, dear, deployment("model-priced")); // the model's price is FREE

        for (int i = 0; i < 20; i++) assertThat(acquireAndRelease(m)).isEqualTo("model-priced");
    }

    @Test
    void lowestLatencyPicksTheLowerMovingAverageOfTimeToFirstToken() {
        var fast = deployment("fast");
        var slow = deployment("slow");
        var m = model(Strategy.LOWEST_LATENCY, slow, fast);
        for (int i = 0; i < 5; i++) {
            picker.health(fast).tryAcquire(clock.get());
            picker.health(fast).releaseSuccess(Duration.ofMillis(200).toNanos());
            picker.health(slow).tryAcquire(clock.get());
            picker.health(slow).releaseSuccess(Duration.ofMillis(900).toNanos());
        }

        for (int i = 0; i < 20; i++) assertThat(acquireAndRelease(m)).isEqualTo("fast");
    }

    @Test
    void theLatencyAverageMovesTowardsNewSamples() {
        DeploymentHealth h = picker.health(deployment("a"));
        h.tryAcquire(clock.get());
        h.releaseSuccess(1_000);
        assertThat(h.ttftEwmaNanos()).isEqualTo(1_000);

        h.tryAcquire(clock.get());
        h.releaseSuccess(2_000);
        assertThat(h.ttftEwmaNanos()).isBetween(1_001L, 1_999L);

        h.tryAcquire(clock.get());
        h.releaseSuccess(-1); // unknown: leaves the average alone
        assertThat(h.ttftEwmaNanos()).isBetween(1_001L, 1_999L);
    }

    @Test
    void weightedRoughlyFollowsTheWeights() {
        var m = model(Strategy.WEIGHTED, deployment("heavy", 3, 0, 0, Optional.empty()),
                deployment("light", 1, 0, 0, Optional.empty()));
        Map<String, Integer> counts = new HashMap<>();

        for (int i = 0; i < 4_000; i++) counts.merge(acquireAndRelease(m), 1, Integer::sum);

        assertThat(counts.getOrDefault("heavy", 0) / 4_000.0).isBetween(0.70, 0.80);
    }

    @Test
    void weightedNeverPicksAZeroWeightDeploymentBesideAWeightedOne() {
        var m = model(Strategy.WEIGHTED, deployment("zero", 0, 0, 0, Optional.empty()),
                deployment("one", 1, 0, 0, Optional.empty()));

        for (int i = 0; i < 200; i++) assertThat(acquireAndRelease(m)).isEqualTo("one");
    }

    @Test
    void aDeploymentListedTwiceWithTheSameSettingsSharesOneState() {
        assertThat(picker.health(deployment("a"))).isSameAs(picker.health(deployment("a")));
        assertThat(picker.health(deployment("a", 2, 0, 0, Optional.empty()))).isNotSameAs(picker.health(deployment("a")));
    }

    @Test
    void aReloadForgetsTheStatesOfDeploymentsItNoLongerListsAsTheyWere() {
        Deployment kept = deployment("a");
        Deployment recapped = deployment("b", 1, 0, 10, Optional.empty());
        picker.health(kept).tryAcquire(clock.get());
        picker.health(recapped).tryAcquire(clock.get());

        picker.retain(new ModelCatalog(List.of(model(Strategy.ROUND_ROBIN, kept,
                deployment("b", 1, 0, 20, Optional.empty())))));

        assertThat(picker.health(kept).inFlight()).as("a listed deployment keeps its state").isEqualTo(1);
        assertThat(picker.health(recapped).inFlight()).as("the old settings' state is gone").isZero();
    }
}
