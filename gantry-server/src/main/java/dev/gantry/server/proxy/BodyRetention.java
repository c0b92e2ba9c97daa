package dev.gantry.server.proxy;

import dev.gantry.store.RequestBodyRepository;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes captured bodies older than {@code usage.body_retention_days}, at start and then every
 * hour, on a worker thread. Prompts and completions are what a company least wants kept for good;
 * the requests' usage rows stay.
 */
public final class BodyRetention {
    private static final Duration PERIOD = Duration.ofHours(1);
    /** Bodies deleted per transaction. */
    private static final int CHUNK = 1_000;
    private static final Logger log = LoggerFactory.getLogger(BodyRetention.class);

    private final RequestBodyRepository repository;
    private final Duration retention;
    private final Clock clock;

    public BodyRetention(RequestBodyRepository repository, Duration retention, Clock clock) {
        this.repository = repository;
        this.retention = retention;
        this.clock = clock;
    }

    public void start(Vertx vertx) {
        vertx.setPeriodic(1, PERIOD.toMillis(), id -> vertx.executeBlocking(() -> {
            sweep();
            return null;
        }, false));
    }

    private void sweep() {
        try {
            Instant cutoff = clock.instant().minus(retention);
            int deleted = 0;
            int last;
            do {
                last = repository.deleteCapturedBefore(cutoff, CHUNK);
                deleted += last;
            } while (last == CHUNK);
            if (deleted > 0) log.info("deleted the captured bodies of {} request(s) older than {} days", deleted, retention.toDays());
        } catch (RuntimeException e) { // the database may be down: the next hour tries again
            log.warn("captured bodies past their retention not deleted: {}", e.getMessage());
        }
    }
}
