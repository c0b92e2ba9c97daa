package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.auth.ApiKey;
import dev.gantry.auth.KeySecrets;
import dev.gantry.auth.KeySettings;
import dev.gantry.auth.Role;
import dev.gantry.identity.Quota;
import dev.gantry.limits.BudgetPeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Keys' owners, tags, limits, rotation and last use, on each database the gateway supports. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class KeyRepositoryGovernanceTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:34:56.123456Z");
    static final Quota LIMITS = new Quota(5_000_000_000L, 1_000_000L, BudgetPeriod.WEEK, 60, 100_000, 4);

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

    static ApiKey key(String id, String userId, String teamId, Instant createdAt) {
        String secret = KeySecrets.newSecret();
        return new ApiKey(id, "key " + id, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), Role.MEMBER, List.of(),
                createdAt, null, null, userId, teamId, Map.of(), null, Quota.NONE, null, null);
    }

    @Test
    void everyNewFieldRoundTrips() {
        var k = new ApiKey("k1", "ci", KeySecrets.hash("s"), "sk-gantry-abcdef...", Role.MEMBER, List.of("qwen3-*"), T0,
                null, null, "usr_1", "team_1", Map.of("app", "ci", "owner", "données \"quoted\"", "empty", ""),
                T0.plusSeconds(5), LIMITS, KeySecrets.hash("old"), T0.plus(Duration.ofDays(1)));
        keys.insert(k);

        assertThat(keys.findById("k1")).contains(k);
        assertThat(db.column("SELECT metadata FROM api_keys")).containsExactly(
                "{\"app\":\"ci\",\"empty\":\"\",\"owner\":\"données \\\"quoted\\\"\"}");
    }

    @Test
    void keysWithoutLimitsReadBackWithoutLimits() {
        keys.insert(key("k1", null, null, T0));

        ApiKey read = keys.findById("k1").orElseThrow();
        assertThat(read.quota()).isEqualTo(Quota.NONE);
        assertThat(read.metadata()).isEmpty();
        assertThat(read.userId()).isNull();
    }

    @Test
    void updatingChangesTheSettingsAndNothingElse() {
        ApiKey k = key("k1", "usr_1", null, T0);
        keys.insert(k);
        var settings = new KeySettings("renamed", List.of("gpt-5", "claude-*"), T0.plus(Duration.ofDays(30)), "team_1",
                Map.of("app", "batch"), LIMITS);
        Instant at = T0.plusSeconds(3600);

        assertThat(keys.update("k1", settings, at)).isTrue();

        assertThat(keys.findById("k1")).contains(k.with(settings));
        assertThat(keys.changedSince(at)).extracting(ApiKey::id).containsExactly("k1");
        assertThat(keys.update("nope", settings, at)).isFalse();
    }

    @Test
    void limitsCanBeRemovedAgain() {
        keys.insert(key("k1", "usr_1", null, T0).with(new KeySettings("k", List.of(), null, "team_1", Map.of(), LIMITS)));

        keys.update("k1", new KeySettings("k", List.of(), null, null, Map.of(), Quota.NONE), T0.plusSeconds(1));

        ApiKey read = keys.findById("k1").orElseThrow();
        assertThat(read.quota()).isEqualTo(Quota.NONE);
        assertThat(read.teamId()).isNull();
    }

    @Test
    void aRotatedKeyAcceptsItsOldSecretUntilTheGraceEnds() {
        ApiKey k = key("k1", "usr_1", null, T0);
        keys.insert(k);
        String newHash = KeySecrets.hash("new secret");
        Instant at = T0.plusSeconds(60), graceUntil = at.plus(Duration.ofHours(24));

        assertThat(keys.rotate("k1", newHash, "sk-gantry-newnew...", graceUntil, at)).isTrue();

        ApiKey rotated = keys.findById("k1").orElseThrow();
        assertThat(rotated.hash()).isEqualTo(newHash);
        assertThat(rotated.displayPrefix()).isEqualTo("sk-gantry-newnew...");
        assertThat(rotated.previousHash()).isEqualTo(k.hash());
        assertThat(rotated.previousValidUntil()).isEqualTo(graceUntil);
        assertThat(keys.findByHash(k.hash())).isEmpty();
        assertThat(keys.findByAcceptedHash(k.hash(), graceUntil.minusSeconds(1))).contains(rotated);
        assertThat(keys.findByAcceptedHash(k.hash(), graceUntil)).isEmpty();
        assertThat(keys.findByAcceptedHash(newHash, graceUntil.plus(Duration.ofDays(365)))).contains(rotated);
        assertThat(keys.changedSince(at)).extracting(ApiKey::id).containsExactly("k1");
    }

    @Test
    void rotatingWithoutGraceStopsTheOldSecretAtOnce() {
        ApiKey k = key("k1", "usr_1", null, T0);
        keys.insert(k);

        keys.rotate("k1", KeySecrets.hash("new"), "sk-gantry-newnew...", null, T0.plusSeconds(1));

        assertThat(keys.findById("k1").orElseThrow().previousHash()).isNull();
        assertThat(keys.findByAcceptedHash(k.hash(), T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void aSecondRotationEndsTheFirstSecretsGrace() {
        ApiKey k = key("k1", "usr_1", null, T0);
        keys.insert(k);
        Instant graceUntil = T0.plus(Duration.ofDays(1));

        keys.rotate("k1", KeySecrets.hash("second"), "p2", graceUntil, T0.plusSeconds(1));
        keys.rotate("k1", KeySecrets.hash("third"), "p3", graceUntil, T0.plusSeconds(2));

        assertThat(keys.findByAcceptedHash(k.hash(), T0.plusSeconds(3))).isEmpty();
        assertThat(keys.findByAcceptedHash(KeySecrets.hash("second"), T0.plusSeconds(3))).isPresent();
        assertThat(keys.findByAcceptedHash(KeySecrets.hash("third"), T0.plusSeconds(3))).isPresent();
    }

    @Test
    void revokedAndUnknownKeysAreNotRotated() {
        keys.insert(key("k1", "usr_1", null, T0));
        keys.revoke("k1", T0.plusSeconds(1));

        assertThat(keys.rotate("k1", KeySecrets.hash("new"), "p", null, T0.plusSeconds(2))).isFalse();
        assertThat(keys.rotate("nope", KeySecrets.hash("new"), "p", null, T0.plusSeconds(2))).isFalse();
    }

    @Test
    void rotatingToAHashInUseIsAConflict() {
        ApiKey a = key("a", "usr_1", null, T0), b = key("b", "usr_1", null, T0);
        keys.insert(a);
        keys.insert(b);

        assertThatThrownBy(() -> keys.rotate("a", b.hash(), "p", null, T0)).isInstanceOf(ConflictException.class);
        assertThat(keys.findById("a")).contains(a);
    }

    @Test
    void lastUseIsRecordedInBatchesWithoutMovingUpdatedAt() {
        keys.insert(key("a", "usr_1", null, T0));
        keys.insert(key("b", "usr_1", null, T0));
        keys.insert(key("c", "usr_1", null, T0));
        Instant at = T0.plus(Duration.ofHours(1));

        keys.touchLastUsed(List.of("a", "b", "unknown"), at);
        keys.touchLastUsed(List.of("a"), at.minusSeconds(30));
        keys.touchLastUsed(List.of(), at);

        assertThat(keys.findById("a").orElseThrow().lastUsedAt()).isEqualTo(at);
        assertThat(keys.findById("b").orElseThrow().lastUsedAt()).isEqualTo(at);
        assertThat(keys.findById("c").orElseThrow().lastUsedAt()).isNull();
        assertThat(keys.changedSince(T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void listingFiltersByUserAndTeam() {
        keys.insert(key("a1", "alice", "red", T0));
        keys.insert(key("a2", "alice", null, T0.plusSeconds(1)));
        keys.insert(key("b1", "bob", "red", T0.plusSeconds(2)));
        keys.insert(key("legacy", null, null, T0.plusSeconds(3)));
        var all = PageRequest.first(10);

        assertThat(keys.list(KeyFilter.ALL, all).items()).extracting(ApiKey::id).containsExactly("legacy", "b1", "a2", "a1");
        assertThat(keys.list(KeyFilter.ofUser("alice"), all).items()).extracting(ApiKey::id).containsExactly("a2", "a1");
        assertThat(keys.list(KeyFilter.ofTeam("red"), all).items()).extracting(ApiKey::id).containsExactly("b1", "a1");
        assertThat(keys.list(new KeyFilter("alice", "red"), all).items()).extracting(ApiKey::id).containsExactly("a1");
        assertThat(keys.list(KeyFilter.ofUser("carol"), all)).isEqualTo(new Page<ApiKey>(List.of(), false));
    }

    @Test
    void listingPagesThroughEveryKeyOnce() {
        IntStream.range(0, 7).forEach(i -> keys.insert(key("k" + i, "alice", null, T0.plusSeconds(i % 3))));
        List<String> newestFirst = keys.list().stream().map(ApiKey::id).toList();

        Page<ApiKey> first = keys.list(KeyFilter.ofUser("alice"), PageRequest.first(3));
        Page<ApiKey> second = keys.list(KeyFilter.ofUser("alice"), PageRequest.first(3).next());
        Page<ApiKey> third = keys.list(KeyFilter.ofUser("alice"), PageRequest.first(3).next().next());

        assertThat(first.hasMore()).isTrue();
        assertThat(second.hasMore()).isTrue();
        assertThat(third.hasMore()).isFalse();
        assertThat(List.of(first, second, third)).flatExtracting(Page::items).extracting(ApiKey::id)
                .containsExactlyElementsOf(newestFirst);
    }
}
