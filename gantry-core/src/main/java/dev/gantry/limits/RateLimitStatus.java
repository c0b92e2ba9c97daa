package dev.gantry.limits;

import java.util.function.BiConsumer;

/**
 * The tightest request and token limits that applied to a request, for the
 * {@code x-ratelimit-*} headers: of each kind, the scope with the least remaining. A limit of 0
 * means no limit of that kind applied, and its headers are left out.
 *
 * @param resetRequestsMillis until the request window is back to full, if nothing else arrives
 * @param resetTokensMillis   the same for tokens
 */
public record RateLimitStatus(long limitRequests, long remainingRequests, long resetRequestsMillis,
                              long limitTokens, long remainingTokens, long resetTokensMillis) {
    public static final RateLimitStatus NONE = new RateLimitStatus(0, 0, 0, 0, 0, 0);

    /** Hands each header to {@code header} (e.g. {@code response::putHeader}), as OpenAI sends them. */
    public void writeHeaders(BiConsumer<String, String> header) {
        if (limitRequests > 0) {
            header.accept("x-ratelimit-limit-requests", Long.toString(limitRequests));
            header.accept("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
            header.accept("x-ratelimit-reset-requests", duration(resetRequestsMillis));
        }
        if (limitTokens > 0) {
            header.accept("x-ratelimit-limit-tokens", Long.toString(limitTokens));
            header.accept("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
            header.accept("x-ratelimit-reset-tokens", duration(resetTokensMillis));
        }
    }

    /** A duration as OpenAI (and Go) write it: {@code 0s}, {@code 250ms}, {@code 1.5s}, {@code 6m0s}, {@code 1h0m0s}. */
    static String duration(long millis) {
        if (millis <= 0) return "0s";
        if (millis < 1_000) return millis + "ms";
        long hours = millis / 3_600_000, minutes = millis / 60_000 % 60, seconds = millis / 1_000 % 60, rest = millis % 1_000;
        var out = new StringBuilder(16);
        if (hours > 0) out.append(hours).append('h');
        if (hours > 0 || minutes > 0) out.append(minutes).append('m');
        out.append(seconds);
        if (rest > 0) {
            int len = out.append('.').length();
            out.append(rest + 1_000).deleteCharAt(len); // "1.050" for 50 ms: pad to three digits
            while (out.charAt(out.length() - 1) == '0') out.setLength(out.length() - 1);
        }
        return out.append('s').toString();
    }
}
