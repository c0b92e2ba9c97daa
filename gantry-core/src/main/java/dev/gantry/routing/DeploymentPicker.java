package dev.gantry.routing;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Price;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Picks the deployment that serves a request, by the model's {@link Strategy}, among those that
 * can take it now: not tried yet for this request, under their concurrency cap, not cooling down
 * after a 429, and let through by their circuit breaker. The pick takes a slot
 * ({@link DeploymentHealth#tryAcquire}); the caller gives it back with one of the
 * {@code release...} methods when the answer ends.
 *
 * <p>State is kept per deployment (provider, upstream model and settings).
 */
public final class DeploymentPicker {
    /** Why no deployment could be had. */
    public enum Shortage {
        /** Every deployment not yet tried is at its concurrency cap. */
        AT_CAPACITY,
        /** Every deployment not yet tried is down (breaker open) or cooling down after a 429. */
        UNAVAILABLE,
        /** Every deployment has been tried for this request. */
        EXHAUSTED
    }

    private final Map<Deployment, DeploymentHealth> health = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();
    /** Providers whose active health probe fails now. */
    private final Set<String> providersDown = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoTime;
    private final int breakerThreshold;
    private final Duration breakerCooldown;

    public DeploymentPicker(LongSupplier nanoTime, int breakerThreshold, Duration breakerCooldown) {
        this.nanoTime = nanoTime;
        this.breakerThreshold = breakerThreshold;
        this.breakerCooldown = breakerCooldown;
    }

    /**
     * The state of a deployment, by value: a deployment whose settings a reload changed starts
     * afresh (requests in flight give their slots back to the old state), and the same server
     * listed by two models with different settings (weight, cap...) has a state per listing.
     */
    public DeploymentHealth health(Deployment deployment) {
        DeploymentHealth h = health.get(deployment);
        return h != null ? h : health.computeIfAbsent(deployment,
                d -> new DeploymentHealth(d, new CircuitBreaker(breakerThreshold, breakerCooldown)));
    }

    /**
     * After a reload: forgets the state of each deployment the catalog no longer lists as it was
     * (removed, or listed with other settings, which start afresh), and the round-robin turn of each
     * model it no longer has. Requests in flight hold their state and give their slots back to it.
     */
    public void retain(ModelCatalog catalog) {
        Set<Deployment> listed = new HashSet<>();
        Set<String> models = new HashSet<>();
        for (Model model : catalog.all()) {
            listed.addAll(model.deployments());
            models.add(model.name());
        }
        health.keySet().retainAll(listed);
        turns.keySet().retainAll(models);
    }

    public long now() { return nanoTime.getAsLong(); }

    /** What the provider's active health probe found: a down provider's deployments get no requests. */
    public void probed(String providerName, boolean up) {
        if (up) providersDown.remove(providerName);
        else providersDown.add(providerName);
    }

    public boolean isProbedDown(Deployment deployment) {
        return isProbedDown(deployment.provider().name());
    }

    /** Whether {@code deployment} could take a request now (for metrics). */
    public boolean isAvailable(Deployment deployment) {
        return !isProbedDown(deployment) && health(deployment).isAvailable(nanoTime.getAsLong());
    }

    public boolean isProbedDown(String providerName) {
        return providersDown.contains(providerName);
    }

    /** A deployment of {@code model} with a slot taken, or empty (then {@link #shortage} says why). */
    public Optional<DeploymentHealth> acquire(Model model, Set<String> triedIds) {
        long now = nanoTime.getAsLong();
        var candidates = new ArrayList<DeploymentHealth>(model.deployments().size());
        for (Deployment d : model.deployments()) {
            DeploymentHealth h = health(d);
            if (!triedIds.contains(d.id()) && !isProbedDown(d) && h.isAvailable(now)) candidates.add(h);
        }
        while (!candidates.isEmpty()) {
            DeploymentHealth pick = pick(model, candidates);
            if (pick.tryAcquire(now)) return Optional.of(pick);
            candidates.remove(pick); // lost a race for its last slot or its probe
        }
        return Optional.empty();
    }

    /** Whether some deployment of {@code model} could take a request right now. */
    public boolean hasFreeSlot(Model model) {
        long now = nanoTime.getAsLong();
        for (Deployment d : model.deployments()) if (!isProbedDown(d) && health(d).isAvailable(now)) return true;
        return false;
    }

    public Shortage shortage(Model model, Set<String> triedIds) {
        long now = nanoTime.getAsLong();
        boolean anyUntried = false;
        for (Deployment d : model.deployments()) {
            if (triedIds.contains(d.id())) continue;
            anyUntried = true;
            if (!isProbedDown(d) && health(d).isHealthy(now)) return Shortage.AT_CAPACITY;
        }
        return anyUntried ? Shortage.UNAVAILABLE : Shortage.EXHAUSTED;
    }

    private DeploymentHealth pick(Model model, List<DeploymentHealth> candidates) {
        if (candidates.size() == 1) return candidates.getFirst();
        return switch (model.strategy()) {
            case WEIGHTED -> weighted(candidates);
            case ROUND_ROBIN -> candidates.get((int) Math.floorMod(
                    turns.computeIfAbsent(model.name(), n -> new AtomicLong()).getAndIncrement(), candidates.size()));
            case LEAST_INFLIGHT -> lowest(candidates, DeploymentHealth::inFlight);
            case LOWEST_LATENCY -> lowest(candidates, DeploymentHealth::ttftEwmaNanos);
            case CHEAPEST -> lowest(candidates, h -> blended(model.priceAt(h.deployment())));
            case PRIORITY -> weighted(lowestGroup(candidates, h -> h.deployment().priority()));
        };
    }

    /** Input and output price together, as a rough per-token figure for comparing deployments. */
    private static long blended(Price p) {
        return p.inputMicrosPerMtok() + p.outputMicrosPerMtok();
    }

    private static DeploymentHealth lowest(List<DeploymentHealth> candidates, ToLongFunction<DeploymentHealth> key) {
        var group = lowestGroup(candidates, key);
        return group.get(ThreadLocalRandom.current().nextInt(group.size())); // ties broken at random
    }

    private static List<DeploymentHealth> lowestGroup(List<DeploymentHealth> candidates, ToLongFunction<DeploymentHealth> key) {
        long min = candidates.stream().mapToLong(key).min().orElseThrow();
        return candidates.stream().filter(h -> key.applyAsLong(h) == min).toList();
    }

    private static DeploymentHealth weighted(List<DeploymentHealth> candidates) {
        long total = 0;
        for (DeploymentHealth h : candidates) total += h.deployment().weight();
        if (total == 0) return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        long ticket = ThreadLocalRandom.current().nextLong(total);
        for (DeploymentHealth h : candidates) {
            ticket -= h.deployment().weight();
            if (ticket < 0) return h;
        }
        return candidates.getLast();
    }

}
