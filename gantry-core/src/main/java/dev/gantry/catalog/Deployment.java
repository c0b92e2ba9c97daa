package dev.gantry.catalog;

/** One place that serves a model: which provider, and the model id that provider knows it by. */
public record Deployment(Provider provider, String upstreamModel) {
    /** A short name for logs, metrics and usage rows: {@code provider/upstream-model}. */
    public String id() { return provider.name() + "/" + upstreamModel; }
}
