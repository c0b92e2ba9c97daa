package dev.gantry.server.usage;

import dev.gantry.config.GatewayConfig.UsageSettings;
import dev.gantry.server.ops.GatewayMetrics;
import dev.gantry.store.UsageRepository;
import dev.gantry.store.spool.UsageSpool;
import dev.gantry.usage.SelfHostedCost;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageMeter;
import dev.gantry.usage.UsageRecord;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes usage off the request path, makes it durable, and stores it.
 *
 * <p>Design: two platform threads and two bounded queues.
 * <ol>
 *   <li>Request threads {@link #record} an event (a non-blocking offer), with, for a complete
 *       answer, the step that sends its last byte.</li>
 *   <li>The <em>spool</em> thread takes whatever has queued up, measures tokens (the upstream's
 *       report, or a tokenizer estimate) and prices them, appends the records to the
 *       {@link UsageSpool} and syncs it once for the whole group (group commit), then lets each
 *       waiting answer finish on its own event loop. So a client that saw a complete answer has its
 *       usage on disk, whatever happens next. In {@code batched} durability the answers do not
 *       wait and the spool is synced once per flush interval: faster, and a {@code kill -9} may
 *       lose that interval.</li>
 *   <li>The <em>store</em> thread gathers records for up to one flush interval, inserts them and adds them to the
 *       roll-ups in one transaction, updates metrics, writes the access-log lines, and moves the spool's checkpoint. While the
 *       database is down it retries the same batch with back-off; records wait in the spool.</li>
 * </ol>
 * On start-up {@link #replay} stores what the spool holds past its checkpoint, exactly once.
 * Events offered while the first queue is full are dropped (counted in {@code gantry_usage_dropped})
 * and their answers finish at once: the queue holds 100,000 by default. If the database is down so
 * long that the second queue fills, records stay in the spool until the next start instead of
 * making answers wait.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final long GATHER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(30);

    private record Pending(UsageEvent event, Context context, Runnable whenDurable) {}

    /** A record on its way to the database: what the store thread needs, nothing more. */
    private record Spooled(UsageRecord record, String modelTag, UsageSpool.Position position) {}

    private final UsageRepository repository;
    private final UsageMeter meter;
    private final SelfHostedCost selfHosted;
    private final GatewayMetrics metrics;
    private final AccessLog accessLog = new AccessLog();
    private final UsageSettings settings;
    private final UsageSpool spool;
    private final BlockingQueue<Pending> incoming;
    private final BlockingQueue<Spooled> spooled;
    private final Thread spoolThread;
    private final Thread storeThread;
    private volatile boolean closing;
    /** Set once records could not be queued for the store: from then on only a replay may checkpoint. */
    private volatile boolean overflowed;
    private boolean checkpointHeld;
    private volatile Consumer<List<UsageRecord>> afterStore = records -> {};
    private final List<BiConsumer<UsageEvent, UsageRecord>> completed = new CopyOnWriteArrayList<>();

    public UsageRecorder(UsageRepository repository, UsageMeter meter, SelfHostedCost selfHosted, GatewayMetrics metrics,
                         UsageSettings settings, UsageSpool spool) {
        this.repository = repository;
        this.meter = meter;
        this.selfHosted = selfHosted;
        this.metrics = metrics;
        this.settings = settings;
        this.spool = spool;
        this.incoming = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.spooled = new ArrayBlockingQueue<>(settings.queueCapacity());
        metrics.usageQueueDepth(() -> incoming.size() + spooled.size());
        this.spoolThread = Thread.ofPlatform().name("gantry-usage-spool").daemon().unstarted(this::spoolLoop);
        this.storeThread = Thread.ofPlatform().name("gantry-usage-store").daemon().unstarted(this::storeLoop);
    }

    /** Stores what the spool holds from before a crash. Blocking; call before {@link #start}. */
    public long replay() {
        long replayed = spool.replay(settings.batchSize(), records -> {
            List<UsageRecord> kept = records.stream().filter(r -> r.keyId() != null).toList();
            for (String id : repository.insertBatchSkippingStored(kept)) {
                log.error("usage record of request {} refused by the database and dropped", id);
            }
            // the hooks hear of replayed rows too (keys' last use)
            afterStore.accept(kept);
        });
        if (replayed > 0) log.info("usage spool: stored {} record(s) left from before the last stop", replayed);
        return replayed;
    }

    /** Called on the store thread with each batch once it is stored (e.g. to note when keys were last used). */
    public void afterStore(Consumer<List<UsageRecord>> hook) { this.afterStore = hook; }

    /**
     * Called on the spool thread with each measured request, after its answer was let go: for work
     * that needs the request's facts and its tokens (traces, error-rate alerts). Keep it short; it
     * delays the next batch.
     */
    public void onCompleted(BiConsumer<UsageEvent, UsageRecord> listener) { completed.add(listener); }

    public void start() {
        spoolThread.start();
        storeThread.start();
    }

    /**
     * Hands over a finished request; never blocks.
     *
     * @param whenDurable for a complete answer, what sends its last byte: run on the caller's event
     *                    loop once the usage is on disk (at once in batched mode); null otherwise
     */
    public void record(UsageEvent event, Context context, Runnable whenDurable) {
        boolean waits = whenDurable != null && settings.durable();
        if (!incoming.offer(new Pending(event, context, waits ? whenDurable : null))) {
            metrics.usageDropped();
            log.warn("usage queue full, dropped the record of request {}", event.requestId());
            event.grant().endAtWorstCase();
            if (whenDurable != null) whenDurable.run();
            return;
        }
        if (whenDurable != null && !waits) whenDurable.run();
    }

    private void spoolLoop() {
        var batch = new ArrayList<Pending>(settings.batchSize());
        long lastSync = System.nanoTime();
        boolean unsynced = false;
        while (!closing || !incoming.isEmpty()) {
            try {
                Pending first = nextPending();
                if (first != null) {
                    batch.add(first);
                    incoming.drainTo(batch, settings.batchSize() - 1);
                    List<Spooled> records = spool(batch);
                    unsynced = true;
                    boolean anyWaiting = batch.stream().anyMatch(p -> p.whenDurable() != null);
                    if (anyWaiting || System.nanoTime() - lastSync > settings.flushInterval().toNanos()) {
                        spool.force();
                        lastSync = System.nanoTime();
                        unsynced = false;
                    }
                    for (Pending p : batch) {
                        if (p.whenDurable() != null) p.context().runOnContext(v -> p.whenDurable().run());
                    }
                    forward(records);
                    tellCompleted(batch, records);
                    batch.clear();
                } else if (unsynced) {
                    spool.force();
                    lastSync = System.nanoTime();
                    unsynced = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) { // the disk is full or failing: store what can be, keep the thread alive
                log.error("usage batch of {} could not be spooled; storing it without the spool's protection", batch.size(), e);
                var unspooled = new ArrayList<Spooled>(batch.size());
                for (Pending p : batch) {
                    try {
                        var model = p.event().model();
                        unspooled.add(new Spooled(toRecord(p.event()), model == null ? "none" : model.name(), null));
                    } catch (RuntimeException measureFailed) {
                        log.error("usage of request {} lost", p.event().requestId(), measureFailed);
                        p.event().grant().endAtWorstCase();
                    }
                    if (p.whenDurable() != null) p.context().runOnContext(v -> p.whenDurable().run()); // never hang an answer
                }
                forward(unspooled);
                batch.clear();
            }
        }
        spool.force();
    }

    /**
     * The next event, waiting up to one flush interval. It looks at the queue for a few
     * microseconds before it blocks: a blocked thread takes a futex wake-up and a trip through the
     * scheduler to start again, tens of microseconds on a virtual machine, and in {@code fsync}
     * durability every answer waits for this thread. The spin follows work only, so an idle
     * gateway does not spin.
     */
    private Pending nextPending() throws InterruptedException {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        do {
            Pending p = incoming.poll();
            if (p != null) return p;
            Thread.onSpinWait();
        } while (System.nanoTime() < spinUntil);
        return incoming.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tellCompleted(List<Pending> batch, List<Spooled> records) {
        if (completed.isEmpty()) return;
        for (int i = 0; i < batch.size(); i++) {
            for (var listener : completed) {
                try {
                    listener.accept(batch.get(i).event(), records.get(i).record());
                } catch (RuntimeException e) {
                    log.warn("usage listener failed on request {}", batch.get(i).event().requestId(), e);
                }
            }
        }
    }

    /**
     * Passes records to the store thread. If its queue is full (the database has been down a long
     * while), the records stay safe in the spool only: the checkpoint stops before them, and the
     * next start stores them. Answers never wait for the database.
     */
    private void forward(List<Spooled> records) {
        for (Spooled s : records) {
            if (!spooled.offer(s)) {
                if (!overflowed) log.error("usage store far behind: records now wait in the spool until the next start");
                overflowed = true;
                metrics.usageDropped();
            }
        }
    }

    private List<Spooled> spool(List<Pending> batch) {
        var records = new ArrayList<UsageRecord>(batch.size());
        var lines = new ArrayList<byte[]>(batch.size());
        for (Pending p : batch) {
            UsageRecord r = toRecord(p.event());
            records.add(r);
            lines.add(UsageSpool.encode(r));
        }
        List<UsageSpool.Position> positions = spool.append(lines);
        var out = new ArrayList<Spooled>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            var model = batch.get(i).event().model();
            out.add(new Spooled(records.get(i), model == null ? "none" : model.name(), positions.get(i)));
        }
        return out;
    }

    /**
     * Measures and prices the request, and ends its grant with that right away: its parallel slots
     * free up and its budgets settle before the record is even spooled. A grant ended here may be
     * ended again if the batch must be measured a second time; the second end is ignored.
     */
    private UsageRecord toRecord(UsageEvent e) {
        TokenUsage usage = meter.measure(e.endpoint(), e.upstreamDialect(), e.sse(), e.outcome(), e.requestBody(), e.response());
        long cost = cost(e, usage);
        e.grant().end(cost, usage.totalTokens());
        return new UsageRecord(e.requestId(), e.timestamp(), e.keyId(), e.userId(), e.teamId(), e.endpoint().path(),
                fit(e.askedModel(), 200), e.model() == null ? null : e.model().name(),
                e.deployment() == null ? null : e.deployment().id(), usage, cost, e.httpStatus(), e.outcome(),
                TimeUnit.NANOSECONDS.toMillis(e.latencyNanos()), e.ttftNanos() < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(e.ttftNanos()),
                e.stream());
    }

    /** Client-chosen text cut to its column's size, so that no request can make its row unstorable. */
    private static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
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

    private void storeLoop() {
        var batch = new ArrayList<Spooled>(settings.batchSize());
        while (!closing || !spooled.isEmpty() || spoolThread.isAlive()) {
            try {
                Spooled first = spooled.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                gatherBatch(batch);
                var records = new ArrayList<UsageRecord>(batch.size());
                // requests that failed authentication are counted and logged, not kept in the ledger
                for (Spooled s : batch) if (s.record().keyId() != null) records.add(s.record());
                if (!store(records)) checkpointHeld = true; // leave them for the replay at the next start
                else afterStore.accept(records);
                UsageSpool.Position last = batch.getLast().position();
                if (!checkpointHeld && !overflowed && last != null) spool.checkpoint(last);
                var all = new ArrayList<UsageRecord>(batch.size());
                for (Spooled s : batch) {
                    metrics.record(s.record(), s.modelTag(), s.record().deployment());
                    all.add(s.record());
                }
                accessLog.write(all);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("usage batch of {} could not be stored", batch.size(), e);
                batch.clear();
            }
        }
    }

    /**
     * Waits up to one flush interval for the batch to fill. Each commit costs the database far more
     * than each row (H2 rewrites every B-tree page a commit touched), and the spool already keeps
     * the records safe, so fewer, fuller commits are pure gain: at 1,000 req/s this cut the store
     * thread's CPU by an order of magnitude. It looks at the queue every few milliseconds rather
     * than waiting on it, since a waiting consumer is woken by every record the spool thread hands
     * over: a futex call on each side per request.
     */
    private void gatherBatch(List<Spooled> batch) throws InterruptedException {
        long deadline = System.nanoTime() + settings.flushInterval().toNanos();
        spooled.drainTo(batch, settings.batchSize() - batch.size());
        while (batch.size() < settings.batchSize() && !closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            Thread.sleep(Duration.ofNanos(Math.min(left, GATHER_POLL_NANOS)));
            spooled.drainTo(batch, settings.batchSize() - batch.size());
        }
    }

    /** Inserts the batch, retrying with back-off while the database is down (until closing). False if given up. */
    private boolean store(List<UsageRecord> records) throws InterruptedException {
        if (records.isEmpty()) return true;
        Duration backoff = Duration.ofMillis(100);
        while (true) {
            try {
                for (String id : repository.insertBatchSkippingStored(records)) {
                    log.error("usage record of request {} refused by the database and dropped", id);
                }
                return true;
            } catch (RuntimeException e) {
                if (closing) {
                    log.error("usage store unavailable at shutdown: {} record(s) stay in the spool for the next start: {}",
                            records.size(), e.getMessage());
                    return false;
                }
                log.warn("usage store unavailable, retrying {} records in {} ms: {}", records.size(), backoff.toMillis(), e.getMessage());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Spools and stores what is queued, waiting up to 30 seconds, then closes the spool. */
    @Override
    public void close() {
        closing = true;
        try {
            spoolThread.join(Duration.ofSeconds(15));
            storeThread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spool.close();
    }
}
