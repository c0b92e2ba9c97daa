package dev.gantry.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gantry.auth.KeySecrets;
import dev.gantry.store.ConsoleSessionRepository;
import dev.gantry.store.ConsoleSessionRepository.Session;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Console log-ins. A session is a random token the browser keeps in an HttpOnly cookie; the
 * database keeps only its hash and the key it acts as, so every replica knows it and a log-out
 * ends it everywhere (within {@link #CACHE_TTL}). The console calls the admin API with the token
 * in {@code x-gantry-session}: a header a browser on another site cannot set, so the API needs no
 * CSRF defence of its own; the console's forms carry {@link #csrfToken}.
 */
public final class ConsoleSessions {
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** How long a replica trusts what it last read of a session. */
    private static final Duration CACHE_TTL = Duration.ofSeconds(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConsoleSessionRepository repository;
    private final Vertx vertx;
    private final Clock clock;
    private final Cache<String, Optional<Session>> recent = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();
    /** Signs the browser's address on the console's own loopback calls: they never leave this process. */
    private final SecretKeySpec addressKey = new SecretKeySpec(randomBytes(), "HmacSHA256");

    public ConsoleSessions(ConsoleSessionRepository repository, Vertx vertx, Clock clock) {
        this.repository = repository;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** Opens a session acting as the key; returns the token for the cookie, shown nowhere else. */
    public Future<String> open(String keyId) {
        String token = "gs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
        Instant now = clock.instant();
        return vertx.executeBlocking(() -> {
            repository.insert(new Session(KeySecrets.hash(token), keyId, now, now.plus(LIFETIME)));
            repository.deleteExpired(now); // log-ins are rare: the sweep rides on them
            return token;
        }, false);
    }

    /** The key a live session acts as; empty for an unknown, ended or expired token. */
    public Future<Optional<String>> keyIdOf(String token) {
        if (token == null || !token.startsWith("gs_") || token.length() > 100) return Future.succeededFuture(Optional.empty());
        String hash = KeySecrets.hash(token);
        Instant now = clock.instant();
        Optional<Session> cached = recent.getIfPresent(hash);
        if (cached != null) return Future.succeededFuture(cached.filter(s -> s.expiresAt().isAfter(now)).map(Session::keyId));
        return vertx.executeBlocking(() -> {
            Optional<Session> found = repository.findLive(hash, now);
            recent.put(hash, found);
            return found.map(Session::keyId);
        }, false);
    }

    public Future<Void> close(String token) {
        String hash = KeySecrets.hash(token);
        recent.invalidate(hash);
        return vertx.executeBlocking(() -> {
            repository.delete(hash);
            return null;
        }, false);
    }

    /** The token the session's forms must carry: derived from the session's secret, so a page on another site cannot know it. */
    public static String csrfToken(String sessionToken) {
        return KeySecrets.hash("csrf:" + sessionToken).substring(0, 32);
    }

    public static boolean csrfMatches(String sessionToken, String presented) {
        return presented != null && MessageDigest.isEqual(csrfToken(sessionToken).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** A proof that this process vouches for the browser's address, so that the audit log names the browser, not the loopback. */
    public String proveAddress(String sessionToken, String address) {
        return HexFormat.of().formatHex(mac(sessionToken + "|" + address));
    }

    public boolean addressProven(String sessionToken, String address, String proof) {
        return proof != null && address != null
                && MessageDigest.isEqual(proveAddress(sessionToken, address).getBytes(StandardCharsets.US_ASCII),
                proof.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] mac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(addressKey);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
