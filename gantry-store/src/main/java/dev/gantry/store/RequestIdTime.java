package dev.gantry.store;

import java.time.Instant;
import java.util.Optional;

/** The time at the start of a gateway request id ({@code req_} + 12 hex digits of epoch millis + random). */
final class RequestIdTime {
    private RequestIdTime() {}

    static Optional<Instant> of(String requestId) {
        if (requestId == null || requestId.length() < 16 || !requestId.startsWith("req_")) return Optional.empty();
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(requestId.substring(4, 16), 16)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
