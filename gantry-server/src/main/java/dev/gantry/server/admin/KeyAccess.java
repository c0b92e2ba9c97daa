package dev.gantry.server.admin;

import dev.gantry.auth.ApiKey;
import dev.gantry.identity.Caller;
import dev.gantry.server.auth.KeyCache;
import dev.gantry.server.identity.Directory;
import java.util.HashSet;
import java.util.Set;

/** Whose keys, and so whose usage, a caller may read: one rule for the keys and the usage routes. */
final class KeyAccess {
    private final KeyCache keys;
    private final Directory directory;

    KeyAccess(KeyCache keys, Directory directory) {
        this.keys = keys;
        this.directory = directory;
    }

    boolean reads(Caller caller, ApiKey key) {
        if (key.id().equals(caller.keyId())) return true;
        return key.userId() == null ? caller.readsAll() : caller.readsKeysOf(key.userId(), directory.teamsOf(key.userId()).keySet());
    }

    boolean manages(Caller caller, ApiKey key) {
        return key.userId() == null ? caller.isAdmin() : caller.managesKeysOf(key.userId(), directory.teamsOf(key.userId()).keySet());
    }

    /**
     * The keys whose usage the caller may read, for queries to filter on before they sum or page;
     * null for a caller who reads everything (rows without a key included).
     */
    Set<String> readableKeys(Caller caller) {
        if (caller.readsAll()) return null;
        var ids = new HashSet<String>();
        for (ApiKey k : keys.all()) if (reads(caller, k)) ids.add(k.id());
        if (caller.keyId() != null) ids.add(caller.keyId());
        return ids;
    }

    /** Usage rows name their key; rows without one (refused before a key was known) are for readers of everything. */
    boolean readsUsageOf(Caller caller, String keyId) {
        if (caller.readsAll()) return true;
        return keyId != null && keys.byId(keyId).map(k -> reads(caller, k)).orElse(false);
    }
}
