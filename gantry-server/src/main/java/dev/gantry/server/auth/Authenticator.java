package dev.gantry.server.auth;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySecrets;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Instant;
import dev.gantry.server.identity.Directory;
import java.util.Optional;

/**
 * Finds the key a request presents ({@code Authorization: Bearer KEY} as OpenAI clients send it,
 * or {@code x-api-key: KEY} as Anthropic clients do) and checks that it may be used now.
 * A known key costs a hash and a map look-up; only an unknown one goes to a worker thread.
 */
public final class Authenticator {
    private final KeyCache keys;
    private final Vertx vertx;
    private final Clock clock;
    private final Directory directory;

    public Authenticator(KeyCache keys, Directory directory, Vertx vertx, Clock clock) {
        this.keys = keys;
        this.directory = directory;
        this.vertx = vertx;
        this.clock = clock;
    }

    public Future<ApiKey> authenticate(HttpServerRequest request) {
        String secret = presentedSecret(request);
        if (secret == null) {
            return Future.failedFuture(new GatewayException(ErrorCode.MISSING_API_KEY,
                    "No API key given: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'."));
        }
        return authenticateSecret(secret);
    }

    /** A key's secret as typed into the console's log-in form. */
    public Future<ApiKey> authenticateSecret(String secret) {
        String hash = KeySecrets.hash(secret);
        Optional<ApiKey> cached = keys.find(hash);
        if (cached.isPresent()) return check(cached, hash);
        // Only a key of the shape the gateway makes can have been made a moment ago on another
        // replica; anything else (random guesses) is refused without a database query.
        if (!KeySecrets.looksGenerated(secret)) return check(Optional.empty(), hash);
        return vertx.executeBlocking(() -> keys.loadMiss(hash), false).compose(key -> check(key, hash));
    }

    /**
     * The key a console session acts as, checked like a presented one: a session ends when its key
     * is revoked or expires, or its user is suspended.
     */
    public Future<ApiKey> authenticateKeyId(String keyId) {
        Optional<ApiKey> key = keys.byId(keyId);
        if (key.isEmpty()) return Future.failedFuture(new GatewayException(ErrorCode.INVALID_API_KEY, "Invalid API key."));
        return usable(key.get(), clock.instant());
    }

    private Future<ApiKey> check(Optional<ApiKey> found, String hash) {
        Instant now = clock.instant();
        if (found.isEmpty() || !found.get().matchesHash(hash, now)) { // matchesHash: a rotated-out secret past its grace
            return Future.failedFuture(new GatewayException(ErrorCode.INVALID_API_KEY, "Invalid API key."));
        }
        return usable(found.get(), now);
    }

    private Future<ApiKey> usable(ApiKey key, Instant now) {
        if (!key.isUsableAt(now)) {
            return Future.failedFuture(new GatewayException(ErrorCode.INVALID_API_KEY,
                    key.revokedAt() != null ? "This API key has been revoked." : "This API key has expired."));
        }
        if (!directory.userAllows(key)) {
            return Future.failedFuture(new GatewayException(ErrorCode.INVALID_API_KEY,
                    "The user this API key belongs to is suspended or deleted."));
        }
        return Future.succeededFuture(key);
    }

    private static String presentedSecret(HttpServerRequest request) {
        String auth = request.getHeader("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String s = auth.substring(7).trim();
            if (!s.isEmpty()) return s;
        }
        String apiKey = request.getHeader("x-api-key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }
}
