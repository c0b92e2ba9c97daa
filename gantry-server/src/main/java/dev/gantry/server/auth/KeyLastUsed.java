package dev.gantry.server.auth;

import dev.gantry.store.KeyRepository;
import dev.gantry.usage.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each key's {@code last_used_at} from the usage rows as they are stored: off the request
 * path, one batched update per stored batch, and at most one write per key per {@link #RESOLUTION},
 * so a busy key does not turn every usage batch into another write. Used by the usage store thread only.
 */
public final class KeyLastUsed {
    static final Duration RESOLUTION = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(KeyLastUsed.class);

    private final KeyRepository keys;
    private final Map<String, Instant> written = new HashMap<>();

    public KeyLastUsed(KeyRepository keys) { this.keys = keys; }

    public void stored(List<UsageRecord> records) {
        var due = new HashSet<String>();
        Instant latest = null;
        for (UsageRecord r : records) {
            if (r.keyId() == null) continue;
            if (latest == null || r.timestamp().isAfter(latest)) latest = r.timestamp();
            Instant last = written.get(r.keyId());
            if (last == null || r.timestamp().isAfter(last.plus(RESOLUTION))) due.add(r.keyId());
        }
        if (due.isEmpty()) return;
        if (written.size() > 100_000) written.clear(); // keys come and go; forgetting one only costs a write
        try {
            keys.touchLastUsed(due, latest); // the batch's newest time: a batch spans at most a flush interval
            for (String id : due) written.put(id, latest);
        } catch (RuntimeException e) {
            log.warn("could not record when {} key(s) were last used: {}", due.size(), e.getMessage());
        }
    }
}
