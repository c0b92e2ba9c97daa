package dev.gantry.usage;

/**
 * Tokens a request consumed. {@code cachedInputTokens} is the part of {@code inputTokens} served
 * from the provider's prompt cache. {@code estimated} is true when the upstream did not report
 * usage and a tokenizer counted instead.
 */
public record TokenUsage(long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, false);

    public long totalTokens() { return inputTokens + outputTokens; }
}
