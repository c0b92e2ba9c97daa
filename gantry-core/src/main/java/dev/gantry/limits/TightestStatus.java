package dev.gantry.limits;

/** Collects, over the scopes of one admission, the limits with the least remaining. */
final class TightestStatus {
    private long limitRequests, remainingRequests, resetRequestsMillis;
    private long limitTokens, remainingTokens, resetTokensMillis;

    void offerRequests(long limit, long remaining, long resetMillis) {
        if (limitRequests == 0 || remaining < remainingRequests) {
            limitRequests = limit;
            remainingRequests = remaining;
            resetRequestsMillis = resetMillis;
        }
    }

    void offerTokens(long limit, long remaining, long resetMillis) {
        if (limitTokens == 0 || remaining < remainingTokens) {
            limitTokens = limit;
            remainingTokens = remaining;
            resetTokensMillis = resetMillis;
        }
    }

    RateLimitStatus build() {
        return new RateLimitStatus(limitRequests, remainingRequests, resetRequestsMillis, limitTokens, remainingTokens,
                resetTokensMillis);
    }
}
