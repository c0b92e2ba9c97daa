package dev.gantry.server.usage;

import dev.gantry.config.GatewayConfig.UsageDurability;
import dev.gantry.config.GatewayConfig.UsageSettings;
import dev.gantry.server.ops.GatewayMetrics;
import dev.gantry.store.UsageRepository;
import dev.gantry.store.spool.SpoolLines;
import dev.gantry.store.spool.UsageSpool;
import dev.gantry.usage.SelfHostedCost;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageMeter;
import dev.gantry.usage.UsageRecord;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes usage durable before an answer ends, and stores it off the request path.
 *
 * <p>Design: the request threads, one spool thread, one store thread, two bounded queues.
 * <ol>
 *   <li>In {@code write} durability (the default), a request whose upstream reported its usage
 *       (nearly all) is measured and priced on its own event loop, and its record appended to the
 *       {@link UsageSpool} there, before its answer's last byte goes out: a write into the
 *       operating system's page cache, which outlives this process whatever happens to it. No
 *       other thread is involved, so the answer waits for no hand-over and no wake-up.</li>
 *   <li>Requests that need a tokenizer estimate (costly; not on an event loop), and every request
 *       in the other durabilities, are offered to the <em>spool</em> thread with, for a complete
 *       answer, the step that sends its last byte. It measures, prices and appends them as a group;
 *       in {@code fsync} durability it then syncs the spool once for the group (group commit), so
 *       that a crash of the whole machine loses nothing either; then it lets each waiting answer
 *       finish on its own event loop. In {@code batched} durability answers do not wait, and a
 *       {@code kill -9} may lose a flush interval. The spool thread also syncs the spool every
 *       flush interval and makes its next segment ahead of need.</li>
 *   <li>The <em>store</em> thread gathers records for up to one flush interval, inserts them and adds them to the
 *       roll-ups in one transaction, updates metrics, writes the access-log lines, tells the
 *       listeners (traces, alerts) and moves the spool's checkpoint. While the database is down it
 *       retries the same batch with back-off; records wait in the spool.</li>
 * </ol>
 * Records reach the store thread in the order of their place in the spool (the spool tells their
 * place under its append lock), so the checkpoint after a batch passes only stored records. On
 * start-up {@link #replay} stores what the spool holds past its checkpoint, exactly once.
 * Events offered while the spool thread's queue is full are dropped (counted in
 * {@code gantry_usage_dropped}) and their answers finish at once: the queue holds 100,000 by
 * default. If the database is down so long that the store thread's queue fills, records stay in
 * the spool until the next start instead of making answers wait.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final long MIN_GATHER_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(30);

    private record Pending(UsageEvent event, Context context, Runnable whenDurable) {}

    /** A request's facts with its record, measured and priced. */
    private record Measured(UsageEvent event, UsageRecord record) {}

    /** The requests one event loop spooled in the current turn of the loop, and their waiting answers. */
    private static final class LoopTurn {
        record Taken(List<Measured> measured, List<Runnable> answers) {}

        private List<Measured> measured = new ArrayList<>();
        private List<Runnable> answers = new ArrayList<>();

        boolean isEmpty() { return measured.isEmpty(); }

        void add(Measured m, Runnable answer) {
            measured.add(m);
            if (answer != null) answers.add(answer);
        }

        Taken take() {
            var taken = new Taken(measured, answers);
            measured = new ArrayList<>();
            answers = new ArrayList<>();
            return taken;
        }
    }

    /**
     * A record on its way to the database: what the store thread needs, nothing more.
     *
     * @param position where it ends in the spool, or null if the spool could not take it
     * @param event    the request's facts for the listeners, or null if there are none
     */
    private record Spooled(UsageRecord record, String modelTag, UsageSpool.Position position, UsageEvent event) {}

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
    private final ThreadLocal<LoopTurn> turns = ThreadLocal.withInitial(LoopTurn::new);

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
     * Called on the store thread with each request once its batch is stored (within about a flush
     * interval of its answer): for work that needs the request's facts and its tokens (traces,
     * error-rate alerts). Keep it short; it delays the next batch. Register before {@link #start}.
     */
    public void onCompleted(BiConsumer<UsageEvent, UsageRecord> listener) { completed.add(listener); }

    public void start() {
        spoolThread.start();
        storeThread.start();
    }

    /**
     * Hands over a finished request. It never waits for another thread; in {@code write}
     * durability it may write the request's record to the spool file itself (into the page cache).
     *
     * @param whenDurable for a complete answer, what sends its last byte: run on the caller's event
     *                    loop once the usage is durable as configured (at once, on this thread, if it
     *                    already is or in batched durability); null otherwise
     */
    public void record(UsageEvent event, Context context, Runnable whenDurable) {
        if (settings.durability() == UsageDurability.WRITE) {
            Measured measured;
            try {
                measured = meter.measureIfReported(event.endpoint(), event.upstreamDialect(), event.sse(), event.outcome(),
                        event.response()).map(usage -> new Measured(event, toRecord(event, usage))).orElse(null);
            } catch (RuntimeException e) { // never hang an answer on a bug in measuring
                log.error("usage of request {} lost", event.requestId(), e);
                event.grant().endAtWorstCase();
                if (whenDurable != null) whenDurable.run();
                return;
            }
            if (measured != null) {
                spoolHere(measured, whenDurable);
                return;
            }
        }
        boolean waits = whenDurable != null && settings.durability() != UsageDurability.BATCHED;
        if (!incoming.offer(new Pending(event, context, waits ? whenDurable : null))) {
            metrics.usageDropped();
            log.warn("usage queue full, dropped the record of request {}", event.requestId());
            event.grant().endAtWorstCase();
            if (whenDurable != null) whenDurable.run();
            return;
        }
        if (whenDurable != null && !waits) whenDurable.run();
    }

    /**
     * Spools a measured request on the caller's thread. On an event loop the records of one turn of
     * the loop are gathered and written together at its end, then their answers end: one write to
     * the operating system per turn rather than per request (each costs microseconds on a virtual
     * machine), at the price of answers waiting for the rest of the turn's input to be read.
     */
    private void spoolHere(Measured measured, Runnable whenDurable) {
        Context current = Context.isOnEventLoopThread() ? Vertx.currentContext() : null;
        if (current == null) {
            spoolAll(List.of(measured));
            if (whenDurable != null) whenDurable.run();
            return;
        }
        LoopTurn turn = turns.get();
        if (turn.isEmpty()) current.runOnContext(v -> endTurn(turn));
        turn.add(measured, whenDurable);
    }

    private void endTurn(LoopTurn turn) {
        LoopTurn.Taken taken = turn.take(); // an answer ended below may start the next turn's records
        try {
            spoolAll(taken.measured());
        } finally { // never hang an answer, even when the disk fails
            for (Runnable answer : taken.answers()) answer.run();
        }
    }

    private void spoolLoop() {
        var batch = new ArrayList<Pending>(settings.batchSize());
        long lastSync = System.nanoTime();
        boolean syncsBeforeAnswering = settings.durability() == UsageDurability.FSYNC;
        while (!closing || !incoming.isEmpty()) {
            try {
                prepareNextSegment();
                Pending first = nextPending();
                if (first != null) {
                    batch.add(first);
                    incoming.drainTo(batch, settings.batchSize() - 1);
                    try {
                        spool(batch);
                        if (syncsBeforeAnswering && batch.stream().anyMatch(p -> p.whenDurable() != null)) {
                            spool.force();
                            lastSync = System.nanoTime();
                        }
                    } finally { // never hang an answer, even when the disk fails
                        for (Pending p : batch) {
                            if (p.whenDurable() != null) p.context().runOnContext(v -> p.whenDurable().run());
                        }
                        batch.clear();
                    }
                }
                if (System.nanoTime() - lastSync >= settings.flushInterval().toNanos()) {
                    spool.force();
                    lastSync = System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("usage spool thread: {}", e.getMessage(), e);
            }
        }
        spool.force();
    }

    private void prepareNextSegment() {
        try {
            spool.prepareNextSegment();
        } catch (RuntimeException e) { // an append will try again when it needs the segment
            log.warn("usage spool: could not make the next segment ahead of need: {}", e.getMessage());
        }
    }

    /**
     * The next event, waiting up to one flush interval. It looks at the queue for a few
     * microseconds before it blocks: a blocked thread takes a futex wake-up and a trip through the
     * scheduler to start again, tens of microseconds on a virtual machine, and unless durability
     * is {@code batched} every answer waits for this thread. The spin follows work only, so an idle
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

    /**
     * Passes a record to the store thread. If its queue is full (the database has been down a long
     * while), the record stays safe in the spool only: the checkpoint stops before it, and the
     * next start stores it. Answers never wait for the database.
     */
    private void forward(Spooled record) {
        if (!spooled.offer(record)) {
            if (!overflowed) log.error("usage store far behind: records now wait in the spool until the next start");
            overflowed = true;
            metrics.usageDropped();
        }
    }

    /** Measures and prices a group of requests (estimating what was not reported), and spools them. */
    private void spool(List<Pending> batch) {
        var measured = new ArrayList<Measured>(batch.size());
        for (Pending p : batch) {
            UsageEvent e = p.event();
            try {
                measured.add(new Measured(e, toRecord(e, meter.measure(e.endpoint(), e.upstreamDialect(), e.sse(),
                        e.outcome(), e.requestBody(), e.response()))));
            } catch (RuntimeException measureFailed) {
                log.error("usage of request {} lost", e.requestId(), measureFailed);
                e.grant().endAtWorstCase();
            }
        }
        if (!measured.isEmpty()) spoolAll(measured);
    }

    /** Writes the records to the spool in one write, and passes them on to the store thread in spool order. */
    private void spoolAll(List<Measured> measured) {
        var lines = new SpoolLines(measured.size());
        for (Measured m : measured) lines.add(m.record());
        var forwarded = new AtomicBoolean();
        try {
            spool.append(lines, positions -> {
                for (int i = 0; i < measured.size(); i++) forward(spooled(measured.get(i), positions.get(i)));
                forwarded.set(true);
            });
        } catch (RuntimeException e) { // the disk is full or failing: store what can be
            log.error("usage of {} request(s) could not be spooled; storing it without the spool's protection", measured.size(), e);
            if (!forwarded.get()) {
                for (Measured m : measured) forward(spooled(m, null));
            }
        }
    }

    private Spooled spooled(Measured m, UsageSpool.Position position) {
        var model = m.event().model();
        return new Spooled(m.record(), model == null ? "none" : model.name(), position, completed.isEmpty() ? null : m.event());
    }

    /**
     * Prices the request, and ends its grant with that right away: its parallel slots free up and
     * its budgets settle before the record is even spooled.
     */
    private UsageRecord toRecord(UsageEvent e, TokenUsage usage) {
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
                UsageSpool.Position last = null; // records come in spool order; those that missed the spool have none
                for (Spooled s : batch) if (s.position() != null) last = s.position();
                if (!checkpointHeld && !overflowed && last != null) spool.checkpoint(last);
                var all = new ArrayList<UsageRecord>(batch.size());
                for (Spooled s : batch) {
                    metrics.record(s.record(), s.modelTag(), s.record().deployment());
                    all.add(s.record());
                }
                accessLog.write(all);
                tellCompleted(batch);
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

    private void tellCompleted(List<Spooled> batch) {
        for (Spooled s : batch) {
            if (s.event() == null) continue;
            for (var listener : completed) {
                try {
                    listener.accept(s.event(), s.record());
                } catch (RuntimeException e) {
                    log.warn("usage listener failed on request {}", s.event().requestId(), e);
                }
            }
        }
    }

    /**
     * Waits up to one flush interval for the batch to fill. Each commit costs the database far more
     * than each row (H2 rewrites every B-tree page a commit touched), and the spool already keeps
     * the records safe, so fewer, fuller commits are pure gain: at 1,000 req/s this cut the store
     * thread's CPU by an order of magnitude. It sleeps rather than waits on the queue, since a
     * waiting consumer is woken by every record handed over (a futex call on each side per
     * request), and it sleeps as long as the records' rate lets the batch not fill: the whole
     * interval at moderate rates, one wake-up per batch instead of one every few milliseconds.
     */
    private void gatherBatch(List<Spooled> batch) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + settings.flushInterval().toNanos();
        spooled.drainTo(batch, settings.batchSize() - batch.size());
        while (batch.size() < settings.batchSize() && !closing) {
            long now = System.nanoTime();
            long left = deadline - now;
            if (left <= 0) return;
            // at the rate seen so far, how long the rest of the batch takes to arrive
            long toFill = (now - start) * (settings.batchSize() - batch.size()) / batch.size();
            Thread.sleep(Duration.ofNanos(Math.min(left, Math.max(toFill, MIN_GATHER_SLEEP_NANOS))));
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
            if (spoolThread.getState() != Thread.State.NEW) spoolThread.join(Duration.ofSeconds(15));
            if (storeThread.getState() != Thread.State.NEW) storeThread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spool.close();
    }
}
