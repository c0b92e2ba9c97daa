package dev.gantry.store;

import java.time.LocalDate;

/** Usage summed over one key, model and UTC day. */
public record UsageTotal(String keyId, String model, LocalDate day, long requests, long errors,
                         long inputTokens, long outputTokens, long cachedInputTokens, long costNanos) {}
