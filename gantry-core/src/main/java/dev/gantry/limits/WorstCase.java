package dev.gantry.limits;

import dev.gantry.catalog.Price;

/**
 * The most a request can cost, which budgets reserve before it goes upstream: every prompt token at
 * the full input price (cached tokens cost less, never more) plus the most output it may produce.
 * Rounded up, while {@link Price#costNanos} rounds down, so the real cost of no more tokens than
 * reserved never exceeds the reservation.
 *
 * @param outputCapTokens the output tokens assumed for a request that sets no {@code max_tokens}
 *                        (the model's {@code max_output_tokens}, or a configured cap)
 */
public record WorstCase(long outputCapTokens) {
    public WorstCase {
        if (outputCapTokens <= 0) throw new IllegalArgumentException("outputCapTokens must be positive: " + outputCapTokens);
    }

    /** Output tokens to reserve: the request's {@code max_tokens}, or the cap if it has none ({@code <= 0}). */
    public long outputTokens(long maxTokens) {
        return maxTokens > 0 ? maxTokens : outputCapTokens;
    }

    /** Input plus output tokens to reserve. */
    public long tokens(long promptTokens, long maxTokens) {
        return saturatedAdd(promptTokens, outputTokens(maxTokens));
    }

    /**
     * Nano-dollars to reserve. Saturates instead of overflowing, so that an absurd {@code max_tokens}
     * makes the request too expensive rather than free.
     */
    public long costNanos(Price price, long promptTokens, long maxTokens) {
        long micros = saturatedAdd(saturatedMultiply(promptTokens, price.inputMicrosPerMtok()),
                saturatedMultiply(outputTokens(maxTokens), price.outputMicrosPerMtok()));
        // micro-dollars per 1e6 tokens == nano-dollars per 1e3 tokens
        if (micros == Long.MAX_VALUE) return Long.MAX_VALUE;
        return micros / 1_000 + (micros % 1_000 == 0 ? 0 : 1);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }
}
