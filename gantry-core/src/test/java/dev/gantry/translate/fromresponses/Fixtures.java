package dev.gantry.translate.fromresponses;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/** Deterministic clocks and ids for golden output. */
final class Fixtures {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_750_000_000L), ZoneOffset.UTC);

    private Fixtures() {}

    /** {@code resp_1}, {@code msg_2}...: one counter per translation, as ids are made in order. */
    static Ids counter() {
        AtomicInteger n = new AtomicInteger();
        return prefix -> prefix + n.incrementAndGet();
    }

    /** A translation with a fixed clock and counted ids, not bound to a request. */
    static ResponsesToChatTranslation translation() {
        return new ResponsesToChatTranslation(CLOCK, counter(), ResponsesContext.NONE);
    }

    /** The same, bound to the Codex request of the golden files. */
    static ResponsesToChatTranslation codexTranslation() {
        return translation().forRequest(Golden.bytes("request-codex.json"));
    }
}
