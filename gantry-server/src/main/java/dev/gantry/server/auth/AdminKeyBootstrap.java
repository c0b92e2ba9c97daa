package dev.gantry.server.auth;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySecrets;
import dev.gantry.auth.Role;
import dev.gantry.store.KeyRepository;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Makes sure someone can administer a fresh gateway. With {@code GANTRY_ADMIN_KEY} set, that
 * secret becomes an owner key (stored, like every key, only as a hash). Otherwise, on the first
 * start (no usable owner key), one is made and printed once to the console: the only place the
 * secret ever appears. It is never logged.
 */
public final class AdminKeyBootstrap {
    private final KeyRepository keys;
    private final Clock clock;

    public AdminKeyBootstrap(KeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** @return the secret of a newly created key, if one was created */
    public Optional<String> ensureOwnerKey(Optional<String> configuredSecret) {
        if (configuredSecret.isPresent()) {
            String secret = configuredSecret.get().trim();
            if (secret.length() < 20) {
                throw new IllegalArgumentException("GANTRY_ADMIN_KEY must be at least 20 characters long");
            }
            String hash = KeySecrets.hash(secret);
            if (keys.findByHash(hash).isEmpty()) insert("admin (GANTRY_ADMIN_KEY)", secret);
            return Optional.empty();
        }
        if (keys.hasUsableKeyWithRole(Role.OWNER, clock.instant())) return Optional.empty();
        String secret = KeySecrets.newSecret();
        insert("admin (bootstrap)", secret);
        return Optional.of(secret);
    }

    public static void announce(String secret, PrintStream out) {
        out.println();
        out.println("  Gantry created an admin key. It is shown only this once; keep it somewhere safe:");
        out.println();
        out.println("      " + secret);
        out.println();
        out.println("  (Set GANTRY_ADMIN_KEY to choose your own.)");
        out.println();
        out.flush();
    }

    private void insert(String name, String secret) {
        keys.insert(new ApiKey(KeyIds.next(), name, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), Role.OWNER,
                List.of(), clock.instant(), null, null));
    }
}
