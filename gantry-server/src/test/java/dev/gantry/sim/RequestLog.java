package dev.gantry.sim;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulator saw: the last {@code capacity} requests and a few counters.
 *
 * <p>Written from every event loop, read from test threads. The ring of requests is guarded by
 * its own monitor: one short uncontended lock per request costs far less than the HTTP exchange,
 * and it keeps {@link #requests()} a consistent snapshot. The bound keeps a benchmark that sends
 * millions of requests from growing the heap. Counters are {@link LongAdder}s, written often and
 * read rarely.
 */
final class RequestLog {
    static final int DEFAULT_CAPACITY = 1_000;

    private final int capacity;
    private final ArrayDeque<RecordedRequest> ring;
    private final LongAdder received = new LongAdder();
    private final LongAdder cancelledStreams = new LongAdder();
    private final LongAdder abandonedRequests = new LongAdder();

    RequestLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(capacity);
    }

    void record(RecordedRequest request) {
        received.increment();
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.pollFirst();
            }
            ring.addLast(request);
        }
    }

    /** The kept requests, oldest first. */
    List<RecordedRequest> requests() {
        synchronized (ring) {
            return List.copyOf(ring);
        }
    }

    RecordedRequest last() {
        synchronized (ring) {
            RecordedRequest last = ring.peekLast();
            if (last == null) {
                throw new IllegalStateException("the simulator has received no request yet");
            }
            return last;
        }
    }

    void clear() {
        synchronized (ring) {
            ring.clear();
        }
    }

    /** Every request ever received, including those no longer kept. */
    long received() {
        return received.sum();
    }

    void streamCancelled() {
        cancelledStreams.increment();
    }

    long cancelledStreams() {
        return cancelledStreams.sum();
    }

    void requestAbandoned() {
        abandonedRequests.increment();
    }

    long abandonedRequests() {
        return abandonedRequests.sum();
    }
}
