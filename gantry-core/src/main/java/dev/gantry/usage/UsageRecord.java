package dev.gantry.usage;

import java.time.Instant;

/**
 * One request's row in the usage ledger.
 *
 * @param requestId   the id sent to the client in {@code x-gantry-request-id}
 * @param keyId       the virtual key that made the request (null when authentication failed)
 * @param userId      the user the key belonged to then (null for keys without one)
 * @param teamId      the team the key spent for then (null for none): budgets sum by all three
 * @param model       the model name the client asked for (an alias, perhaps)
 * @param servedModel the catalog model that answered (null if the name was unknown)
 * @param deployment  {@code provider/upstream-model} that served it (null if none was reached)
 * @param costNanos   cost in nano-dollars at the model's price
 * @param ttftMillis  time to the first byte of the answer, -1 if none came
 */
public record UsageRecord(String requestId, Instant timestamp, String keyId, String userId, String teamId, String endpoint,
                          String model, String servedModel, String deployment, TokenUsage usage, long costNanos,
                          int httpStatus, Outcome outcome, long latencyMillis, long ttftMillis, boolean stream) {

    /** A row without user or team, as recorded before keys had them. */
    public UsageRecord(String requestId, Instant timestamp, String keyId, String endpoint, String model,
                       String servedModel, String deployment, TokenUsage usage, long costNanos, int httpStatus,
                       Outcome outcome, long latencyMillis, long ttftMillis, boolean stream) {
        this(requestId, timestamp, keyId, null, null, endpoint, model, servedModel, deployment, usage, costNanos, httpStatus,
                outcome, latencyMillis, ttftMillis, stream);
    }
}
