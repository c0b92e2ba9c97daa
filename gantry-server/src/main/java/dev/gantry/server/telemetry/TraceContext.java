package dev.gantry.server.telemetry;

/**
 * The W3C trace context of one data-plane request, fixed when the request arrives so that the
 * upstream call can carry it ({@code traceparent}), while the span itself is only built when the
 * request's usage is recorded ({@link Tracing#completed}). Exists only while tracing is on: with
 * tracing off the request carries null and nothing here is allocated.
 *
 * <p>Written on the request's event loop, read on the usage recorder's thread after the usage
 * queue handed it over (which orders the two).
 */
public final class TraceContext {
    final String traceId;
    final String spanId;
    /** The caller's span when the request came with a valid {@code traceparent}, else null. */
    final String parentSpanId;
    final boolean sampled;
    /** {@code gen_ai.request.max_tokens}, once the body is read; 0 if the client set none. */
    private long maxTokens;

    TraceContext(String traceId, String spanId, String parentSpanId, boolean sampled) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.sampled = sampled;
    }

    /** The {@code traceparent} header for the upstream: this request's span as the parent. */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    public void maxTokens(long maxTokens) { this.maxTokens = maxTokens; }

    long maxTokens() { return maxTokens; }
}
