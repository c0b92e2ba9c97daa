package dev.gantry.usage;

import java.time.Instant;

/**
 * One request's row in the usage ledger.
 *
 * @param requestId   the id sent to the client in {@code x-gantry-request-id}
 * @param keyId       the virtual key that made the request (null when authentication failed)
 * @param model       the model name the client asked for (an alias, perhaps)
 * @param servedModel the catalog model that answered (null if the name was unknown)
 * @param deployment  {@code provider/upstream-model} that served it (null if none was reached)
 * @param costNanos   cost in nano-dollars at the model's price
 * @param ttftMillis  time to the first byte of the answer, -1 if none came
 */
public record UsageRecord(String requestId, Instant timestamp, String keyId, String endpoint, String model,
                          String servedModel, String deployment, TokenUsage usage, long costNanos, int httpStatus, Outcome outcome,
                          long latencyMillis, long ttftMillis, boolean stream) {}
