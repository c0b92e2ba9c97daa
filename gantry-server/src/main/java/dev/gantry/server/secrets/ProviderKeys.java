package dev.gantry.server.secrets;

import dev.gantry.catalog.Secret;
import dev.gantry.crypto.SecretCipher;
import dev.gantry.crypto.SecretDecryptionException;
import dev.gantry.store.ProviderSecret;
import dev.gantry.store.ProviderSecretRepository;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Provider API keys added through the admin API: stored AES-256-GCM encrypted under the master key
 * from {@code GANTRY_MASTER_KEY}, decrypted only in memory, and laid over the configuration file's
 * keys. A database holding encrypted keys that the gateway cannot read stops start-up with one
 * clear message, rather than sending requests upstream without their keys.
 */
public final class ProviderKeys {
    private final ProviderSecretRepository repository;
    private final Optional<SecretCipher> cipher;
    private final Clock clock;

    public ProviderKeys(ProviderSecretRepository repository, Optional<SecretCipher> cipher, Clock clock) {
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Every stored key, decrypted. Blocking. Throws {@link IllegalStateException} with the reason if they cannot be read. */
    public Map<String, Secret> load() {
        var stored = repository.list();
        if (stored.isEmpty()) return Map.of();
        SecretCipher c = cipher.orElseThrow(() -> new IllegalStateException("the database holds " + stored.size()
                + " encrypted provider key(s) but " + SecretCipher.ENVIRONMENT_VARIABLE + " is not set; set it to the master key they were stored with"));
        var keys = new HashMap<String, Secret>();
        for (ProviderSecret s : stored) {
            try {
                keys.put(s.provider(), new Secret(c.decrypt(s.ciphertext())));
            } catch (SecretDecryptionException e) {
                throw new IllegalStateException(SecretCipher.ENVIRONMENT_VARIABLE + " does not decrypt the stored key of provider '"
                        + s.provider() + "': it is not the master key it was stored with");
            }
        }
        return keys;
    }

    public boolean canStore() { return cipher.isPresent(); }

    /** Encrypts and stores a provider's key. Blocking. */
    public void put(String provider, String apiKey) {
        repository.put(provider, cipher.orElseThrow().encrypt(apiKey), clock.instant());
    }

    /** Forgets a provider's stored key (the file's, if any, applies again). Blocking. */
    public boolean delete(String provider) { return repository.delete(provider); }
}
