package dev.gantry.server.policy;

/**
 * What {@link LimitsStep#check} decided for a request: a {@link Grant} to hold until it ends, or a
 * {@link Refusal} to answer with. A value, as refusing is an ordinary outcome on the hot path.
 */
public sealed interface LimitsDecision permits Grant, Refusal {
}
