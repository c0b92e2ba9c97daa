package dev.gantry.server.usage;

import dev.gantry.config.GatewayConfig.UsageSettings;
import dev.gantry.server.ops.GatewayMetrics;
import dev.gantry.store.UsageRepository;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.SelfHostedCost;
import dev.gantry.usage.UsageMeter;
import dev.gantry.usage.UsageRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes usage events off the request path and stores them in batches.
 *
 * <p>Design: request threads only {@link #record} (a non-blocking offer into a bounded queue). One
 * platform thread drains the queue in batches of up to {@code batchSize}, waiting at most
 * {@code flushInterval} for a batch to fill; for each event it measures tokens (parsing or, if need
 * be, tokenizing), prices them, updates metrics and writes the access-log line, then inserts the
 * batch in one transaction. If the database fails, the same batch is retried with back-off while
 * new events wait in the queue, so a database blip loses nothing. {@link #close} drains what is
 * left. What is still lost: the queue's content if the process is killed, or events offered while
 * the queue is full (counted in {@code gantry_usage_dropped}); a write-ahead spool is planned.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final UsageRepository repository;
    private final UsageMeter meter;
    private final SelfHostedCost selfHosted;
    private final GatewayMetrics metrics;
    private final AccessLog accessLog = new AccessLog();
    private final UsageSettings settings;
    private final BlockingQueue<UsageEvent> queue;
    private final Thread worker;
    private volatile boolean closing;

    public UsageRecorder(UsageRepository repository, UsageMeter meter, SelfHostedCost selfHosted, GatewayMetrics metrics,
                         UsageSettings settings) {
        this.selfHosted = selfHosted;
        this.repository = repository;
        this.meter = meter;
        this.metrics = metrics;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        metrics.usageQueueDepth(queue::size);
        this.worker = Thread.ofPlatform().name("gantry-usage").daemon().unstarted(this::run);
    }

    public void start() { worker.start(); }

    /** Hands over a finished request; never blocks. */
    public void record(UsageEvent event) {
        if (!queue.offer(event)) {
            metrics.usageDropped();
            log.warn("usage queue full, dropped the record of request {}", event.requestId());
        }
    }

    private void run() {
        var batch = new ArrayList<UsageEvent>(settings.batchSize());
        while (!closing || !queue.isEmpty()) {
            try {
                UsageEvent first = queue.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, settings.batchSize() - 1);
                store(toRecords(batch));
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("usage batch of {} could not be processed", batch.size(), e);
                batch.clear();
            }
        }
    }

    private List<UsageRecord> toRecords(List<UsageEvent> events) {
        var records = new ArrayList<UsageRecord>(events.size());
        for (UsageEvent e : events) {
            TokenUsage usage = meter.measure(e.endpoint(), e.upstreamDialect(), e.sse(), e.outcome(), e.requestBody(), e.response());
            var r = new UsageRecord(e.requestId(), e.timestamp(), e.keyId(), e.endpoint().path(), e.askedModel(),
                    e.model() == null ? null : e.model().name(), e.deployment() == null ? null : e.deployment().id(), usage,
                    cost(e, usage), e.httpStatus(),
                    e.outcome(), TimeUnit.NANOSECONDS.toMillis(e.latencyNanos()),
                    e.ttftNanos() < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(e.ttftNanos()), e.stream());
            metrics.record(r, e.model() == null ? "none" : e.model().name(), r.deployment());
            accessLog.write(r);
            records.add(r);
        }
        return records;
    }

    /**
     * Per-token price, or for a deployment paid by the hour its share of that hour at the throughput
     * it has now ({@link SelfHostedCost}).
     */
    private long cost(UsageEvent e, TokenUsage usage) {
        if (e.model() == null) return 0;
        if (e.deployment() == null) return e.model().price().costNanos(usage);
        long perHour = e.deployment().costPerHourMicros();
        if (perHour == 0) return e.model().priceAt(e.deployment()).costNanos(usage);
        long now = e.timestamp().toEpochMilli();
        selfHosted.served(e.deployment().id(), usage.totalTokens(), now);
        return selfHosted.costNanos(e.deployment().id(), usage.totalTokens(), perHour, now);
    }

    /** Inserts the batch, retrying with back-off while the database is down (until closing). */
    private void store(List<UsageRecord> records) throws InterruptedException {
        Duration backoff = Duration.ofMillis(100);
        while (true) {
            try {
                repository.insertBatch(records);
                return;
            } catch (RuntimeException e) {
                if (closing) {
                    log.error("usage store unavailable at shutdown: {} records lost: {}", records.size(), e.getMessage());
                    return;
                }
                log.warn("usage store unavailable, retrying {} records in {} ms: {}", records.size(), backoff.toMillis(), e.getMessage());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Stores what is queued, waiting up to {@code timeout}. */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
