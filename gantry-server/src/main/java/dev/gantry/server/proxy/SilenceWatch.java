package dev.gantry.server.proxy;

import io.vertx.core.Vertx;
import java.util.Arrays;

/**
 * One event loop's watch over its requests' upstreams, for those that keep silent too long
 * ({@link ProxyExchange#checkSilence}). One timer for all of the loop's requests instead of one
 * per request: setting and cancelling a timer for each (Vert.x's idle timeout until the response
 * headers, then one of our own for the answer) cost 2 % of the gateway's CPU at saturation, where
 * requests come and go by thousands a second. The timer runs while the loop has requests in flight
 * and stops at the first tick that finds none, so an idle gateway does not wake up for it.
 *
 * <p>Used from its event loop only. A request knows its slot in the array, so that it leaves in
 * constant time: the last one moves into the slot it frees.
 */
final class SilenceWatch {
    /**
     * How often silence is looked for. A first-token or total timeout fires at most this much late;
     * an idle timeout at most twice, since a chunk's time is that of the first check after it.
     */
    static final long PERIOD_MS = 50;

    private final Vertx vertx;
    private ProxyExchange[] watched = new ProxyExchange[64];
    private int count;
    private long timer = -1;

    SilenceWatch(Vertx vertx) {
        this.vertx = vertx;
    }

    void watch(ProxyExchange exchange) {
        if (exchange.silenceSlot >= 0) return;
        if (count == watched.length) watched = Arrays.copyOf(watched, 2 * count);
        exchange.silenceSlot = count;
        watched[count++] = exchange;
        if (timer < 0) timer = vertx.setPeriodic(PERIOD_MS, id -> tick());
    }

    void forget(ProxyExchange exchange) {
        int slot = exchange.silenceSlot;
        if (slot < 0) return;
        exchange.silenceSlot = -1;
        ProxyExchange last = watched[--count];
        watched[count] = null;
        if (last != exchange) {
            watched[slot] = last;
            last.silenceSlot = slot;
        }
    }

    /** From the end down, so that a request this ends (and whose slot the last one takes) costs no one a check. */
    private void tick() {
        if (count == 0) {
            vertx.cancelTimer(timer);
            timer = -1;
            return;
        }
        long now = System.nanoTime();
        for (int i = count - 1; i >= 0; i--) {
            if (i < count) watched[i].checkSilence(now);
        }
    }
}
