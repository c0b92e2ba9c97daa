package dev.gantry.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a model's traffic is spread over its deployments. */
public enum Strategy {
    /** Random, in proportion to each deployment's weight. */
    WEIGHTED,
    /** Each in turn. */
    ROUND_ROBIN,
    /** The one serving the fewest requests now. */
    LEAST_INFLIGHT,
    /** The one with the lowest moving average of time to first token. */
    LOWEST_LATENCY,
    /** The one whose tokens cost least. */
    CHEAPEST,
    /** The lowest priority number; the others only when it is unavailable. */
    PRIORITY;

    public String configName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Strategy> fromConfigName(String name) {
        return Arrays.stream(values()).filter(s -> s.configName().equals(name)).findFirst();
    }

    public static String supportedNames() {
        return String.join(", ", Arrays.stream(values()).map(Strategy::configName).toList());
    }
}
