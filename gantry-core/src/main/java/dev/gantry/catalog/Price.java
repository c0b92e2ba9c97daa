package dev.gantry.catalog;

import dev.gantry.usage.TokenUsage;

/**
 * A model's price in micro-dollars per million tokens (so {@code 0.14} USD/Mtok is {@code 140_000}).
 * Costs come out in nano-dollars, exact for any whole token count: money is never a double.
 * Cached input tokens are a subset of input tokens, billed at the cached rate.
 */
public record Price(long inputMicrosPerMtok, long outputMicrosPerMtok, long cachedInputMicrosPerMtok) {
    public static final Price FREE = new Price(0, 0, 0);

    public long costNanos(TokenUsage usage) {
        long cached = Math.min(usage.cachedInputTokens(), usage.inputTokens());
        long uncached = usage.inputTokens() - cached;
        // micro-dollars per 1e6 tokens == nano-dollars per 1e3 tokens
        return (uncached * inputMicrosPerMtok + cached * cachedInputMicrosPerMtok
                + usage.outputTokens() * outputMicrosPerMtok) / 1_000;
    }
}
