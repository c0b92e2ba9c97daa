package dev.gantry.catalog;

import java.util.List;

/**
 * A model as clients name it, the deployments that serve it, and what its tokens cost.
 *
 * @param aliases other names that reach this model, {@code *} matching any run of characters:
 *                agents hard-code names ({@code claude-sonnet-4-5}, {@code gpt-5-codex}) and
 *                aliases let the admin decide what really answers them
 */
public record Model(String name, List<String> aliases, List<Deployment> deployments, Price price) {
    public Model {
        aliases = List.copyOf(aliases);
        deployments = List.copyOf(deployments);
        if (deployments.isEmpty()) throw new IllegalArgumentException("model " + name + " has no deployment");
    }
}
