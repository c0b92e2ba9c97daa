package dev.gantry.catalog;

import java.util.List;

/** A model as clients name it, the deployments that serve it, and what its tokens cost. */
public record Model(String name, List<Deployment> deployments, Price price) {
    public Model {
        deployments = List.copyOf(deployments);
        if (deployments.isEmpty()) throw new IllegalArgumentException("model " + name + " has no deployment");
    }
}
