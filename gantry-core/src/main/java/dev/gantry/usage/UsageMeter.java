package dev.gantry.usage;

import dev.gantry.protocol.Dialect;
import dev.gantry.protocol.Endpoint;
import java.util.Optional;

/**
 * Works out what a request consumed, from what the upstream reported or, where it reported
 * nothing (servers that ignore {@code include_usage}, cancelled or cut streams), from a tokenizer.
 * Reading a report is cheap enough for the request path ({@link #measureIfReported}); the
 * tokenizer is not, and runs on the usage recorder's thread ({@link #measure}).
 */
public final class UsageMeter {
    private final TokenEstimator estimator;

    public UsageMeter(TokenEstimator estimator) { this.estimator = estimator; }

    /**
     * What the request consumed if no tokenizer is needed to tell: the upstream reported it, or
     * the request consumed nothing. Empty when {@link #measure} must estimate.
     */
    public Optional<TokenUsage> measureIfReported(Endpoint endpoint, Dialect upstream, boolean sse, Outcome outcome,
                                                  ResponseSample sample) {
        if (endpoint == Endpoint.COUNT_TOKENS || outcome == Outcome.ERROR) return Optional.of(TokenUsage.NONE);
        return outcome == Outcome.OK ? reported(upstream, sse, sample) : Optional.empty();
    }

    /**
     * @param upstream     the protocol the upstream answered in (its vocabulary is in the sample)
     * @param sse          the upstream's answer was a server-sent-event stream
     * @param requestBody  the body sent upstream (for estimating input tokens), or null
     */
    public TokenUsage measure(Endpoint endpoint, Dialect upstream, boolean sse, Outcome outcome, byte[] requestBody,
                              ResponseSample sample) {
        if (endpoint == Endpoint.COUNT_TOKENS || outcome == Outcome.ERROR) return TokenUsage.NONE;
        Optional<TokenUsage> reported = reported(upstream, sse, sample);
        if (outcome == Outcome.OK && reported.isPresent()) return reported.get();
        // Nothing reported, or a stream that stopped early and so never reached its final count.
        long input = reported.map(TokenUsage::inputTokens).filter(n -> n > 0)
                .orElseGet(() -> requestBody == null ? 0 : estimator.countJson(requestBody, 0, requestBody.length));
        long output = Math.max(reported.map(TokenUsage::outputTokens).orElse(0L), estimateOutput(endpoint, sse, sample));
        return new TokenUsage(input, output, reported.map(TokenUsage::cachedInputTokens).orElse(0L), true);
    }

    private static Optional<TokenUsage> reported(Dialect upstream, boolean sse, ResponseSample s) {
        Optional<TokenUsage> last = UsageScanner.last(s.tail(), 0, s.tail().length);
        if (!(sse && upstream == Dialect.ANTHROPIC)) return last;
        // Anthropic reports input tokens in message_start and output tokens in message_delta
        Optional<TokenUsage> first = UsageScanner.first(s.head(), 0, s.head().length);
        if (first.isEmpty()) return last;
        return Optional.of(last.map(l -> UsageScanner.merge(first.get(), l)).orElse(first.get()));
    }

    private long estimateOutput(Endpoint endpoint, boolean sse, ResponseSample s) {
        if (endpoint == Endpoint.EMBEDDINGS || s.totalBytes() == 0) return 0;
        byte[] tail = s.tail();
        if (!s.tailIsWhole() && !sse) return s.totalBytes() / 4; // a cut JSON document cannot be read: ~4 bytes a token
        long inTail = sse ? estimator.countSse(tail, 0, tail.length) : estimator.countJson(tail, 0, tail.length);
        return s.tailIsWhole() || tail.length == 0 ? inTail : inTail * s.totalBytes() / tail.length;
    }
}
