package dev.gantry.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets encrypted under the master key come back only under the same key, unchanged. */
class SecretCipherTest {
    final SecretCipher cipher = SecretCipher.fromBase64(SecretCipher.newMasterKey());

    @Test
    void aSecretRoundTrips() {
        for (String secret : new String[] {"sk-proj-abc123", "", "clé 🔑 " + "x".repeat(5_000)}) {
            String stored = cipher.encrypt(secret);

            assertThat(stored).startsWith("v1:");
            assertThat(cipher.decrypt(stored)).isEqualTo(secret);
        }
    }

    @Test
    void theStoredValueIsTheNonceTheCiphertextAndTheTag() {
        byte[] raw = Base64.getDecoder().decode(cipher.encrypt("abcd").substring(3));

        assertThat(raw).hasSize(12 + 4 + 16);
    }

    @Test
    void everyEncryptionUsesAFreshNonce() {
        String a = cipher.encrypt("same"), b = cipher.encrypt("same");

        assertThat(a).isNotEqualTo(b);
        assertThat(nonce(a)).isNotEqualTo(nonce(b));
    }

    static byte[] nonce(String stored) {
        return Arrays.copyOf(Base64.getDecoder().decode(stored.substring(3)), 12);
    }

    @Test
    void anotherKeyCannotDecrypt() {
        String stored = cipher.encrypt("sk-proj-abc123");
        SecretCipher other = SecretCipher.fromBase64(SecretCipher.newMasterKey());

        assertThatThrownBy(() -> other.decrypt(stored)).isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("GANTRY_MASTER_KEY");
    }

    @Test
    void aChangedValueCannotBeDecrypted() {
        byte[] raw = Base64.getDecoder().decode(cipher.encrypt("sk-proj-abc123").substring(3));
        raw[14] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);

        assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void malformedValuesAreRefusedWithTheSameException() {
        assertThatThrownBy(() -> cipher.decrypt("sk-proj-plain")).isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt("v1:not base64!")).isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt("v1:AAAA")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void theMasterKeyMustBe32BytesOfBase64() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> SecretCipher.fromBase64(short16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes").hasMessageNotContaining(short16);
        assertThatThrownBy(() -> SecretCipher.fromBase64("%%%")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
    }

    @Test
    void theEnvironmentMayOrMayNotHoldAMasterKey() {
        String key = SecretCipher.newMasterKey();
        String stored = SecretCipher.fromBase64(key).encrypt("s");

        assertThat(SecretCipher.fromEnvironment(Map.of())).isEmpty();
        assertThat(SecretCipher.fromEnvironment(Map.of("GANTRY_MASTER_KEY", " "))).isEmpty();
        assertThat(SecretCipher.fromEnvironment(Map.of("GANTRY_MASTER_KEY", key + "\n")).orElseThrow().decrypt(stored))
                .isEqualTo("s");
    }
}
