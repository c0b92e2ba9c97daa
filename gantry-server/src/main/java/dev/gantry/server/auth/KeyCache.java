package dev.gantry.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gantry.auth.ApiKey;
import dev.gantry.store.KeyRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key, by hash, in memory: the request path authenticates without touching the database.
 *
 * <p>Design: the map is loaded whole at start and kept fresh by {@link #refresh()}, which the
 * gateway calls every {@link #REFRESH_PERIOD} on a worker thread and which reads only the keys
 * changed since the previous poll (with an overlap, so clock skew between replicas loses nothing).
 * Changes made through this node's admin API are applied at once with {@link #put}; changes made
 * on another replica arrive with the next poll, so a revocation takes effect everywhere within a
 * second. A hash not in the map may be a key created on another replica a moment ago:
 * {@link #loadMiss} asks the database once, and a negative cache keeps a flood of bad keys from
 * turning into a flood of queries.
 */
public final class KeyCache {
    public static final Duration REFRESH_PERIOD = Duration.ofMillis(500);
    private static final Duration POLL_OVERLAP = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(KeyCache.class);

    private final KeyRepository repository;
    private final Clock clock;
    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();
    private final Map<String, ApiKey> byId = new ConcurrentHashMap<>();
    private final Cache<String, Boolean> unknownHashes = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(1)).build();
    private volatile Instant lastPoll;

    public KeyCache(KeyRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Loads every key. Blocking. */
    public void loadAll() {
        lastPoll = clock.instant();
        repository.list().forEach(this::put);
    }

    /** Picks up keys created, revoked or changed since the last poll. Blocking; on a worker thread. */
    public void refresh() {
        Instant now = clock.instant();
        try {
            repository.changedSince(lastPoll.minus(POLL_OVERLAP)).forEach(this::put);
            lastPoll = now;
        } catch (RuntimeException e) {
            log.warn("key cache refresh failed, serving the keys already known: {}", e.getMessage());
        }
    }

    /** The key with this hash if it is in memory; never blocks. */
    public Optional<ApiKey> find(String hash) {
        return Optional.ofNullable(byHash.get(hash));
    }

    /** For a hash not in memory: one database look-up, unless it was looked up and absent within a second. Blocking. */
    public Optional<ApiKey> loadMiss(String hash) {
        if (unknownHashes.getIfPresent(hash) != null) return Optional.empty();
        Optional<ApiKey> key = repository.findByAcceptedHash(hash, clock.instant());
        key.ifPresentOrElse(this::put, () -> unknownHashes.put(hash, Boolean.TRUE));
        return key;
    }

    /**
     * Stores a key under its secret's hash, and under the previous secret's hash while a rotation's
     * grace lasts; drops the hashes it no longer answers to.
     */
    public void put(ApiKey key) {
        ApiKey before = byId.put(key.id(), key);
        if (before != null) {
            if (!before.hash().equals(key.hash()) && !before.hash().equals(key.previousHash())) byHash.remove(before.hash());
            if (before.previousHash() != null && !before.previousHash().equals(key.previousHash())) byHash.remove(before.previousHash());
        }
        byHash.put(key.hash(), key);
        unknownHashes.invalidate(key.hash());
        if (key.previousHash() != null && key.previousValidUntil() != null && clock.instant().isBefore(key.previousValidUntil())) {
            byHash.put(key.previousHash(), key);
        }
    }

    public Optional<ApiKey> byId(String id) { return Optional.ofNullable(byId.get(id)); }

    /** Every key known, revoked ones included: their usage still has to be attributed. */
    public Collection<ApiKey> all() { return byId.values(); }
}
