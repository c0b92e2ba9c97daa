package dev.gantry.crypto;

/** A stored secret could not be decrypted: the master key is wrong or the value was changed or damaged. */
public final class SecretDecryptionException extends RuntimeException {
    public SecretDecryptionException(String message) {
        super(message);
    }
}
