package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The budget and rate-limit flags that keys, users and teams share, turned into the API's fields:
 * only the flags given, {@code none} to remove one (see {@link BudgetOptions}).
 */
final class LimitOptions {
    @Mixin
    BudgetOptions budget;

    @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute ('none' removes the limit)")
    String rpm;

    @Option(names = "--tpm", paramLabel = "N", description = "Tokens per minute ('none' removes the limit)")
    String tpm;

    @Option(names = "--max-parallel", paramLabel = "N", description = "Requests in flight at once ('none' removes the limit)")
    String maxParallel;

    /** @param command the command running, named in usage errors */
    ObjectNode addTo(ObjectNode body, CommandSpec command) {
        budget.addTo(body, command);
        BudgetOptions.putCount(body, command, "rpm", "--rpm", rpm);
        BudgetOptions.putCount(body, command, "tpm", "--tpm", tpm);
        BudgetOptions.putCount(body, command, "max_parallel", "--max-parallel", maxParallel);
        return body;
    }
}
