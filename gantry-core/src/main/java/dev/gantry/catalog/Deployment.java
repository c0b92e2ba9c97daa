package dev.gantry.catalog;

import java.util.Optional;

/**
 * One place that serves a model: which provider, the model id that provider knows it by, and how
 * routing treats it.
 *
 * @param weight        share of traffic under the {@code weighted} strategy
 * @param priority      lower is preferred under the {@code priority} strategy
 * @param maxConcurrent requests it may serve at once (its GPU capacity); 0 for no limit
 * @param timeouts      the provider's, or this deployment's own
 * @param price         this deployment's own price, if it differs from the model's
 * @param costPerHourMicros what a self-hosted deployment costs per hour, in micro-dollars; 0 if not given
 * @param id            a short name for logs, metrics and usage rows: {@code provider/upstream-model}; made
 *                      once here, since every request asks for it several times
 */
public record Deployment(Provider provider, String upstreamModel, int weight, int priority, int maxConcurrent,
                         Timeouts timeouts, Optional<Price> price, long costPerHourMicros, String id) {

    public Deployment(Provider provider, String upstreamModel, int weight, int priority, int maxConcurrent,
                      Timeouts timeouts, Optional<Price> price, long costPerHourMicros) {
        this(provider, upstreamModel, weight, priority, maxConcurrent, timeouts, price, costPerHourMicros,
                provider.name() + "/" + upstreamModel);
    }

    public Deployment withProvider(Provider p) {
        return new Deployment(p, upstreamModel, weight, priority, maxConcurrent, timeouts, price, costPerHourMicros);
    }

    /**
     * Routing looks deployments up by value on every request; the generated hash walks the provider,
     * its secret and timeouts each time. Equal deployments have equal names, so this agrees with
     * {@code equals}, and both strings cache their hashes.
     */
    @Override
    public int hashCode() { return 31 * provider.name().hashCode() + upstreamModel.hashCode(); }
}
