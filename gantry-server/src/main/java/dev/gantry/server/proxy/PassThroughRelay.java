package dev.gantry.server.proxy;

import dev.gantry.error.ErrorCode;
import dev.gantry.protocol.Dialect;
import dev.gantry.protocol.ErrorBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Set;

/** Same protocol on both sides: the upstream's status, headers and bytes go to the client as they are. */
final class PassThroughRelay implements AnswerRelay {
    /**
     * Hop-by-hop headers (RFC 9110 §7.6.1), framing the gateway sets itself, and what would tell
     * every user about the company's provider accounts or the upstream's network.
     */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "set-cookie",
            "openai-organization", "openai-project", "anthropic-organization-id", "alt-svc", "via", "server");

    private final Dialect dialect;
    private final boolean hideUsageChunk;
    private UsageChunkFilter filter;
    private boolean sse;

    /** @param hideUsageChunk the gateway asked for OpenAI stream usage that the client did not */
    PassThroughRelay(Dialect dialect, boolean hideUsageChunk) {
        this.dialect = dialect;
        this.hideUsageChunk = hideUsageChunk;
    }

    @Override
    public void begin(HttpClientResponse upstream, HttpServerResponse response) {
        response.setStatusCode(upstream.statusCode());
        upstream.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_RELAYED.contains(lower) && !isProviderRateLimit(lower)) response.headers().add(name, value);
        });
        String contentType = upstream.getHeader("content-type");
        sse = contentType != null && contentType.startsWith("text/event-stream");
        if (sse && hideUsageChunk) filter = new UsageChunkFilter();
        // chunked: a stream's last byte (the closing chunk) is held until its usage is on disk, which
        // a Content-Length answer would not allow; a whole answer held back gets its length at the end
        response.setChunked(true);
    }

    /**
     * The upstream's own rate-limit headers describe the company's provider account, not the
     * client's limits (the gateway sets {@code x-ratelimit-*} itself for those).
     */
    private static boolean isProviderRateLimit(String header) {
        return header.startsWith("x-ratelimit-") || header.startsWith("anthropic-ratelimit-");
    }

    @Override
    public boolean isStream() { return sse; }

    @Override
    public Buffer chunk(Buffer upstreamChunk) {
        return filter == null ? upstreamChunk : filter.filter(upstreamChunk);
    }

    @Override
    public Buffer end() {
        return filter == null ? null : filter.flush();
    }

    @Override
    public Buffer broke(ErrorCode code, String message) {
        return sse ? Buffer.buffer(ErrorBodies.streamEvent(dialect, code, message)) : null;
    }
}
