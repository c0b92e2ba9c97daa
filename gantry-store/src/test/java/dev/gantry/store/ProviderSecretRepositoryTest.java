package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crypto.SecretCipher;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Encrypted provider keys: stored, replaced, listed and forgotten; never in plain text. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class ProviderSecretRepositoryTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:34:56.123456Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    ProviderSecretRepository secrets;
    final SecretCipher cipher = SecretCipher.fromBase64(SecretCipher.newMasterKey());

    @BeforeEach
    void create() {
        db = backend.create();
        secrets = new ProviderSecretRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    @Test
    void aSecretIsStoredEncryptedAndReplaced() {
        secrets.put("openai", cipher.encrypt("sk-proj-first"), T0);
        secrets.put("openai", cipher.encrypt("sk-proj-second"), T0.plusSeconds(1));

        ProviderSecret stored = secrets.find("openai").orElseThrow();
        assertThat(cipher.decrypt(stored.ciphertext())).isEqualTo("sk-proj-second");
        assertThat(stored.updatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(db.column("SELECT ciphertext FROM provider_secrets")).singleElement().asString()
                .startsWith("v1:").doesNotContain("sk-proj");
    }

    @Test
    void secretsAreListedByProviderAndForgotten() {
        secrets.put("openai", cipher.encrypt("a"), T0);
        secrets.put("anthropic", cipher.encrypt("b"), T0);

        assertThat(secrets.list()).extracting(ProviderSecret::provider).containsExactly("anthropic", "openai");
        assertThat(secrets.delete("openai")).isTrue();
        assertThat(secrets.delete("openai")).isFalse();
        assertThat(secrets.find("openai")).isEmpty();
        assertThat(secrets.list()).extracting(ProviderSecret::provider).containsExactly("anthropic");
    }
}
