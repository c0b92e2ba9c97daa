package dev.gantry.server.proxy;

import dev.gantry.routing.QueuePolicy;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests waiting for a model whose deployments are all at their concurrency cap.
 *
 * <p>Fair across keys: each key has its own line, and a freed slot goes to the next key in turn,
 * so a key that sends a thousand requests waits behind its own, not in front of everyone else's.
 * Bounded: past the model's {@code max_waiting} a request is refused at once (429). A waiter is
 * settled exactly once, by a freed slot or by its timeout, whichever comes first; it resumes on the
 * event loop it came from. Lines are guarded by the model's monitor: short critical sections, and
 * only requests that found no slot ever touch them.
 */
public final class CapacityQueue {
    private final Vertx vertx;
    private final Map<String, ModelLine> lines = new ConcurrentHashMap<>();

    public CapacityQueue(Vertx vertx) { this.vertx = vertx; }

    private static final class Waiter {
        final Context context = Vertx.currentContext();
        final Runnable resume;
        final Runnable timedOut;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile long timer;

        Waiter(Runnable resume, Runnable timedOut) {
            this.resume = resume;
            this.timedOut = timedOut;
        }
    }

    private static final class ModelLine {
        final Map<String, ArrayDeque<Waiter>> byKey = new HashMap<>();
        final ArrayDeque<String> turn = new ArrayDeque<>();
        int size;

        synchronized boolean add(String key, Waiter w, int max) {
            if (size >= max) return false;
            byKey.computeIfAbsent(key, k -> {
                turn.addLast(k);
                return new ArrayDeque<>();
            }).addLast(w);
            size++;
            return true;
        }

        synchronized Waiter next() {
            String key = turn.pollFirst();
            if (key == null) return null;
            ArrayDeque<Waiter> waiters = byKey.get(key);
            Waiter w = waiters.pollFirst();
            size--;
            if (waiters.isEmpty()) byKey.remove(key);
            else turn.addLast(key);
            return w;
        }

        synchronized void remove(String key, Waiter w) {
            ArrayDeque<Waiter> waiters = byKey.get(key);
            if (waiters != null && waiters.remove(w)) {
                size--;
                if (waiters.isEmpty()) {
                    byKey.remove(key);
                    turn.remove(key);
                }
            }
        }
    }

    /**
     * Waits for a slot of {@code model}: {@code resume} runs when one is freed, {@code timedOut}
     * after {@code wait} without one. False, with neither called, when the line is full.
     */
    boolean await(String model, QueuePolicy policy, String key, Duration wait, Runnable resume, Runnable timedOut) {
        ModelLine line = lines.computeIfAbsent(model, m -> new ModelLine());
        var waiter = new Waiter(resume, timedOut);
        // the timer exists before anyone can wake the waiter: a waker cancels this one, not another
        waiter.timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
            if (waiter.settled.compareAndSet(false, true)) {
                line.remove(key, waiter);
                waiter.timedOut.run();
            }
        });
        if (!line.add(key, waiter, policy.maxWaiting())) {
            vertx.cancelTimer(waiter.timer);
            return false;
        }
        return true;
    }

    /** A slot of {@code model} was freed: the next waiter in turn tries again. */
    void released(String model) {
        ModelLine line = lines.get(model);
        if (line == null) return;
        Waiter w;
        while ((w = line.next()) != null) {
            if (w.settled.compareAndSet(false, true)) {
                Waiter chosen = w;
                vertx.cancelTimer(chosen.timer);
                chosen.context.runOnContext(v -> chosen.resume.run());
                return;
            }
        }
    }
}
