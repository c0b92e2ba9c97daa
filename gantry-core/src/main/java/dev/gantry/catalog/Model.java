package dev.gantry.catalog;

import dev.gantry.limits.RateLimit;
import dev.gantry.routing.QueuePolicy;
import dev.gantry.routing.RetryPolicy;
import dev.gantry.routing.Strategy;
import java.util.List;
import java.util.Optional;

/**
 * A model as clients name it, the deployments that serve it, and what its tokens cost.
 *
 * @param aliases other names that reach this model, {@code *} matching any run of characters:
 *                agents hard-code names ({@code claude-sonnet-4-5}, {@code gpt-5-codex}) and
 *                aliases let the admin decide what really answers them
 * @param strategy  how traffic is spread over the deployments
 * @param fallbacks models to try, in order, when no deployment of this one can answer (down,
 *                  overloaded, the prompt too long for its context, images it cannot take)
 * @param queue     how requests wait when every deployment is at its concurrency cap
 * @param acceptsImages false for a text-only model: requests with images go to its fallbacks
 * @param limits    rate limits on all requests to this model, whoever sends them ({@code limits:})
 */
public record Model(String name, List<String> aliases, List<Deployment> deployments, Price price, Strategy strategy,
                    List<String> fallbacks, RetryPolicy retry, QueuePolicy queue, boolean acceptsImages,
                    Optional<RateLimit> limits) {
    public Model {
        aliases = List.copyOf(aliases);
        fallbacks = List.copyOf(fallbacks);
        deployments = List.copyOf(deployments);
        if (deployments.isEmpty()) throw new IllegalArgumentException("model " + name + " has no deployment");
    }

    /** The price of tokens served by {@code deployment}: its own if it has one, else the model's. */
    public Model withDeployments(List<Deployment> replaced) {
        return new Model(name, aliases, replaced, price, strategy, fallbacks, retry, queue, acceptsImages, limits);
    }

    public Price priceAt(Deployment deployment) {
        return deployment.price().orElse(price);
    }
}
