package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySecrets;
import dev.gantry.auth.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Virtual keys stored and read back, on each database the gateway supports. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class KeyRepositoryTest {
    /** Microsecond precision, as both databases keep. */
    static final Instant T0 = Instant.parse("2025-06-01T12:34:56.123456Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    KeyRepository keys;

    @BeforeEach
    void create() {
        db = backend.create();
        keys = new KeyRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    static ApiKey key(String id, Role role, Instant createdAt, Instant expiresAt, Instant revokedAt, List<String> models) {
        String secret = KeySecrets.newSecret();
        return new ApiKey(id, "key " + id, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), role, models,
                createdAt, expiresAt, revokedAt);
    }

    static ApiKey key(String id, Instant createdAt) {
        return key(id, Role.MEMBER, createdAt, null, null, List.of());
    }

    @Test
    void aKeyIsFoundByItsHashAndByItsId() {
        ApiKey k = key("k1", Role.ADMIN, T0, T0.plus(Duration.ofDays(90)), null, List.of("qwen3-*", "gpt-5"));
        keys.insert(k);

        assertThat(keys.findByHash(k.hash())).contains(k);
        assertThat(keys.findById("k1")).contains(k);
    }

    @Test
    void unknownHashesAndIdsAreEmpty() {
        keys.insert(key("k1", T0));

        assertThat(keys.findByHash(KeySecrets.hash("sk-gantry-not-a-key"))).isEmpty();
        assertThat(keys.findById("k2")).isEmpty();
    }

    @Test
    void everyFieldRoundTrips() {
        ApiKey k = new ApiKey("k-ü", "Équipe données — CI 🚀", KeySecrets.hash("s"), "sk-gantry-AbC-_9...", Role.OWNER,
                List.of("claude-haiku-*", "*-flash", "deepseek-ai/DeepSeek-V4-Flash"), T0, T0.plusSeconds(3600), T0.plusSeconds(60));
        keys.insert(k);

        ApiKey read = keys.findById("k-ü").orElseThrow();

        assertThat(read).isEqualTo(k);
        assertThat(read.models()).containsExactly("claude-haiku-*", "*-flash", "deepseek-ai/DeepSeek-V4-Flash");
    }

    @Test
    void noModelPatternsReadBackAsAnEmptyList() {
        keys.insert(key("k1", T0));

        assertThat(keys.findById("k1").orElseThrow().models()).isEmpty();
        assertThat(keys.findById("k1").orElseThrow().allowsModel("anything")).isTrue();
    }

    @Test
    void aSinglePatternRoundTrips() {
        keys.insert(key("k1", Role.MEMBER, T0, null, null, List.of("*")));

        assertThat(keys.findById("k1").orElseThrow().models()).containsExactly("*");
    }

    @Test
    void timestampsKeepTheirMicroseconds() {
        Instant created = Instant.parse("1999-12-31T23:59:59.999999Z");
        Instant expires = Instant.parse("2038-01-19T03:14:08.000001Z");
        keys.insert(key("k1", Role.MEMBER, created, expires, null, List.of()));

        ApiKey read = keys.findById("k1").orElseThrow();

        assertThat(read.createdAt()).isEqualTo(created);
        assertThat(read.expiresAt()).isEqualTo(expires);
    }

    @Test
    void nanosecondsAreKeptToTheMicrosecond() {
        Instant created = Instant.parse("2025-06-01T12:00:00.123456789Z");
        keys.insert(key("k1", created));

        assertThat(keys.findById("k1").orElseThrow().createdAt()).isCloseTo(created, within(1, ChronoUnit.MICROS));
    }

    @Test
    void listingShowsTheNewestFirst() {
        keys.insert(key("b", T0.plusSeconds(10)));
        keys.insert(key("c", T0.plusSeconds(20)));
        keys.insert(key("a", T0));
        keys.insert(key("d", T0.plusSeconds(10)));

        assertThat(keys.list()).extracting(ApiKey::id).containsExactly("c", "b", "d", "a");
    }

    @Test
    void listingAnEmptyStore() {
        assertThat(keys.list()).isEmpty();
    }

    @Test
    void revokingSucceedsOnceAndStampsTheKey() {
        keys.insert(key("k1", T0));
        Instant at = T0.plus(Duration.ofDays(3));

        assertThat(keys.revoke("k1", at)).isTrue();
        assertThat(keys.revoke("k1", at.plusSeconds(1))).isFalse();

        ApiKey revoked = keys.findById("k1").orElseThrow();
        assertThat(revoked.revokedAt()).isEqualTo(at);
        assertThat(revoked.isUsableAt(at.plusSeconds(1))).isFalse();
    }

    @Test
    void revokingAnUnknownKeyIsFalse() {
        assertThat(keys.revoke("nope", T0)).isFalse();
    }

    @Test
    void changedSinceSeesNewKeysAndRevocations() {
        keys.insert(key("old", T0));
        keys.insert(key("new", T0.plus(Duration.ofHours(2))));
        Instant since = T0.plus(Duration.ofHours(1));

        assertThat(keys.changedSince(since)).extracting(ApiKey::id).containsExactly("new");

        keys.revoke("old", T0.plus(Duration.ofHours(3)));

        assertThat(keys.changedSince(since)).extracting(ApiKey::id).containsExactlyInAnyOrder("old", "new");
        assertThat(keys.changedSince(since)).filteredOn(k -> k.id().equals("old"))
                .singleElement().extracting(ApiKey::revokedAt).isEqualTo(T0.plus(Duration.ofHours(3)));
        assertThat(keys.changedSince(T0.plus(Duration.ofHours(4)))).isEmpty();
    }

    @Test
    void changedSinceIncludesItsLowerBound() {
        keys.insert(key("k1", T0));

        assertThat(keys.changedSince(T0)).extracting(ApiKey::id).containsExactly("k1");
        assertThat(keys.changedSince(T0.plus(1, ChronoUnit.MICROS))).isEmpty();
    }

    @Test
    void usableKeyWithRoleIgnoresRevokedExpiredAndOtherRoles() {
        Instant now = T0.plus(Duration.ofDays(10));
        keys.insert(key("revoked-admin", Role.ADMIN, T0, null, T0.plus(Duration.ofDays(1)), List.of()));
        keys.insert(key("expired-admin", Role.ADMIN, T0, now, null, List.of()));
        keys.insert(key("member", Role.MEMBER, T0, null, null, List.of()));

        assertThat(keys.hasUsableKeyWithRole(Role.ADMIN, now)).isFalse();
        assertThat(keys.hasUsableKeyWithRole(Role.MEMBER, now)).isTrue();
        assertThat(keys.hasUsableKeyWithRole(Role.OWNER, now)).isFalse();
        // before it expired, the expired one counted
        assertThat(keys.hasUsableKeyWithRole(Role.ADMIN, now.minusSeconds(1))).isTrue();

        keys.insert(key("admin", Role.ADMIN, T0, now.plus(Duration.ofDays(1)), null, List.of()));

        assertThat(keys.hasUsableKeyWithRole(Role.ADMIN, now)).isTrue();
    }

    @Test
    void aSecondKeyWithTheSameHashIsRefused() {
        ApiKey k = key("k1", T0);
        keys.insert(k);
        ApiKey sameHash = new ApiKey("k2", "copy", k.hash(), k.displayPrefix(), Role.MEMBER, List.of(), T0, null, null);

        assertThatThrownBy(() -> keys.insert(sameHash)).isInstanceOf(StoreException.class).hasMessageContaining("k2");
        assertThat(keys.list()).extracting(ApiKey::id).containsExactly("k1");
    }

    @Test
    void aSecondKeyWithTheSameIdIsRefused() {
        keys.insert(key("k1", T0));

        assertThatThrownBy(() -> keys.insert(key("k1", T0))).isInstanceOf(StoreException.class);
    }
}
