package dev.gantry.store;

/**
 * What a roll-up row sums: requests, errors, tokens, cost and latency histograms. A mutable
 * accumulator, filled while rows are read and merged into larger buckets; not thread-safe.
 */
public final class RollupTotals {
    private long requests, errors, inputTokens, outputTokens, cachedInputTokens, costNanos, latencySumMillis, ttftCount;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LatencyHistogram ttft = new LatencyHistogram();

    /** One request. A negative {@code ttftMillis} means it had none (not streamed, or failed first). */
    public void addRequest(boolean ok, long input, long output, long cached, long cost, long latencyMillis, long ttftMillis) {
        requests++;
        if (!ok) errors++;
        inputTokens += input;
        outputTokens += output;
        cachedInputTokens += cached;
        costNanos += cost;
        latencySumMillis += latencyMillis;
        latency.add(latencyMillis);
        if (ttftMillis >= 0) {
            ttftCount++;
            ttft.add(ttftMillis);
        }
    }

    public void add(RollupTotals o) {
        requests += o.requests;
        errors += o.errors;
        inputTokens += o.inputTokens;
        outputTokens += o.outputTokens;
        cachedInputTokens += o.cachedInputTokens;
        costNanos += o.costNanos;
        latencySumMillis += o.latencySumMillis;
        ttftCount += o.ttftCount;
        latency.add(o.latency);
        ttft.add(o.ttft);
    }

    void set(long requests, long errors, long input, long output, long cached, long cost, long latencySum, long ttftCount) {
        this.requests = requests;
        this.errors = errors;
        this.inputTokens = input;
        this.outputTokens = output;
        this.cachedInputTokens = cached;
        this.costNanos = cost;
        this.latencySumMillis = latencySum;
        this.ttftCount = ttftCount;
    }

    public long requests() { return requests; }

    public long errors() { return errors; }

    public long inputTokens() { return inputTokens; }

    public long outputTokens() { return outputTokens; }

    public long cachedInputTokens() { return cachedInputTokens; }

    public long costNanos() { return costNanos; }

    public long latencySumMillis() { return latencySumMillis; }

    public long ttftCount() { return ttftCount; }

    public LatencyHistogram latency() { return latency; }

    public LatencyHistogram ttft() { return ttft; }
}
