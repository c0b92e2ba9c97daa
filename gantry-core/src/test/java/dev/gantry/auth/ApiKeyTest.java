package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whether a key may be used now, and for which models. */
class ApiKeyTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    static ApiKey key(Instant expiresAt, Instant revokedAt, List<String> models) {
        return new ApiKey("k1", "ci", "hash", "sk-gantry-abcdef...", Role.MEMBER, models, NOW.minus(Duration.ofDays(30)),
                expiresAt, revokedAt);
    }

    @Test
    void aKeyWithoutExpiryOrRevocationIsUsable() {
        assertThat(key(null, null, List.of()).isUsableAt(NOW)).isTrue();
    }

    @Test
    void aKeyIsUsableUntilItExpires() {
        ApiKey k = key(NOW, null, List.of());

        assertThat(k.isUsableAt(NOW.minusMillis(1))).isTrue();
        assertThat(k.isUsableAt(NOW)).isFalse();
        assertThat(k.isUsableAt(NOW.plusSeconds(1))).isFalse();
    }

    @Test
    void aRevokedKeyIsNeverUsable() {
        ApiKey k = key(NOW.plus(Duration.ofDays(1)), NOW.minus(Duration.ofDays(1)), List.of());

        assertThat(k.isUsableAt(NOW)).isFalse();
        assertThat(k.isUsableAt(NOW.minus(Duration.ofDays(2)))).isFalse();
    }

    @Test
    void noModelPatternsAllowsEveryModel() {
        ApiKey k = key(null, null, List.of());

        assertThat(k.allowsModel("gpt-5")).isTrue();
        assertThat(k.allowsModel("anything/at-all")).isTrue();
    }

    @Test
    void modelPatternsAllowOnlyWhatTheyMatch() {
        ApiKey k = key(null, null, List.of("qwen3-coder", "claude-haiku-*", "*-flash"));

        assertThat(k.allowsModel("qwen3-coder")).isTrue();
        assertThat(k.allowsModel("claude-haiku-4-5")).isTrue();
        assertThat(k.allowsModel("deepseek-v4-flash")).isTrue();
        assertThat(k.allowsModel("qwen3-coder-plus")).isFalse();
        assertThat(k.allowsModel("claude-opus-4-5")).isFalse();
        assertThat(k.allowsModel("gpt-5")).isFalse();
    }

    @Test
    void theModelListCannotBeChangedFromOutside() {
        var models = new java.util.ArrayList<>(List.of("gpt-5"));
        ApiKey k = key(null, null, models);
        models.add("*");

        assertThat(k.allowsModel("claude-opus-4-5")).isFalse();
    }

    static ApiKey rotated(String hash, String previousHash, Instant previousValidUntil) {
        return new ApiKey("k1", "ci", hash, "sk-gantry-abcdef...", Role.MEMBER, List.of(), NOW.minus(Duration.ofDays(30)),
                null, null, "usr_1", null, Map.of(), null, null, previousHash, previousValidUntil);
    }

    @Test
    void theCurrentSecretAlwaysMatches() {
        assertThat(key(null, null, List.of()).matchesHash("hash", NOW)).isTrue();
        assertThat(key(null, null, List.of()).matchesHash("other", NOW)).isFalse();
    }

    @Test
    void thePreviousSecretMatchesUntilItsGraceEnds() {
        ApiKey k = rotated("new", "old", NOW);

        assertThat(k.matchesHash("old", NOW.minusMillis(1))).isTrue();
        assertThat(k.matchesHash("old", NOW)).isFalse();
        assertThat(k.matchesHash("new", NOW.plus(Duration.ofDays(1)))).isTrue();
        assertThat(rotated("new", "old", null).matchesHash("old", NOW)).isFalse();
    }

    @Test
    void keysMadeBeforeGovernanceHaveNoUserNoTagsAndNoLimits() {
        ApiKey k = key(null, null, List.of());

        assertThat(k.userId()).isNull();
        assertThat(k.metadata()).isEmpty();
        assertThat(k.quota()).isEqualTo(dev.gantry.identity.Quota.NONE);
        assertThat(k.with(k.settings())).isEqualTo(k);
    }
}
