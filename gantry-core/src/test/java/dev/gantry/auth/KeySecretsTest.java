package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** Key secrets: unguessable, recognisable by their prefix, stored only as a hash. */
class KeySecretsTest {

    @Test
    void aSecretIsThePrefixAnd32RandomBytesInBase64Url() {
        String secret = KeySecrets.newSecret();

        assertThat(secret).startsWith("sk-gantry-");
        String random = secret.substring("sk-gantry-".length());
        assertThat(random).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(random)).hasSize(32);
    }

    @Test
    void secretsAreDistinct() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) seen.add(KeySecrets.newSecret());

        assertThat(seen).hasSize(10_000);
    }

    @Test
    void theHashIsTheSha256OfTheSecretInLowercaseHex() {
        // FIPS 180-2 test vector
        assertThat(KeySecrets.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void theHashIsStableAndTellsSecretsApart() {
        String a = KeySecrets.newSecret(), b = KeySecrets.newSecret();

        assertThat(KeySecrets.hash(a)).isEqualTo(KeySecrets.hash(a)).matches("[0-9a-f]{64}").doesNotContain(a);
        assertThat(KeySecrets.hash(a)).isNotEqualTo(KeySecrets.hash(b));
    }

    @Test
    void theHashIsTheSameFromAnyThread() throws Exception {
        String secret = KeySecrets.newSecret();
        String here = KeySecrets.hash(secret);
        var there = new String[1];
        Thread t = Thread.ofPlatform().start(() -> there[0] = KeySecrets.hash(secret));
        t.join();

        assertThat(there[0]).isEqualTo(here);
    }

    @Test
    void theDisplayPrefixShowsSixCharactersOfTheRandomPart() {
        String secret = KeySecrets.newSecret();
        String shown = KeySecrets.displayPrefix(secret);

        assertThat(shown).isEqualTo(secret.substring(0, "sk-gantry-".length() + 6) + "...");
        // 6 of 43 characters: 36 bits shown, 222 bits still secret
        assertThat(shown).doesNotContain(secret.substring("sk-gantry-".length() + 6));
    }

    @Test
    void aChosenSecretShowsAtMostFourCharactersAndNeverMoreThanAFifth() {
        // GANTRY_ADMIN_KEY may be any string of 20+ characters: showing most of it to every admin
        // would hand them the owner key
        assertThat(KeySecrets.displayPrefix("my-own-admin-secret-2026")).isEqualTo("my-o...");
        assertThat(KeySecrets.displayPrefix("sk-x")).isEqualTo("...");
    }
}
