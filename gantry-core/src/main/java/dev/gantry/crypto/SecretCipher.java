package dev.gantry.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets stored in the database (provider API keys) with AES-256-GCM under the master
 * key from {@code GANTRY_MASTER_KEY}. A stored value is {@code v1:} + base64(nonce || ciphertext
 * || tag) with a fresh random 12-byte nonce per value: random nonces are safe for far more values
 * than a gateway will ever store (the limit is about 2^32 per key). The tag authenticates the
 * value, so a wrong key and a changed value both fail to decrypt, with {@link SecretDecryptionException}.
 * The version prefix leaves room to change the scheme and re-encrypt later.
 */
public final class SecretCipher {
    public static final String ENVIRONMENT_VARIABLE = "GANTRY_MASTER_KEY";
    private static final String VERSION = "v1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The cipher of a master key given as base64 of 32 bytes; IllegalArgumentException, without the key, otherwise. */
    public static SecretCipher fromBase64(String masterKey) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(masterKey.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " is not valid base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " must be " + KEY_BYTES + " bytes in base64, not "
                    + bytes.length + " bytes (make one with: openssl rand -base64 32)");
        }
        return new SecretCipher(bytes);
    }

    /** The cipher of {@code GANTRY_MASTER_KEY}, or empty if it is unset or blank. */
    public static Optional<SecretCipher> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static Optional<SecretCipher> fromEnvironment(Map<String, String> environment) {
        String value = environment.get(ENVIRONMENT_VARIABLE);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(fromBase64(value));
    }

    /** A new random master key in base64, for an operator to put in {@code GANTRY_MASTER_KEY}. */
    public static String newMasterKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String encrypt(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The plaintext of a value {@link #encrypt} made with the same master key. */
    public String decrypt(String stored) {
        if (!stored.startsWith(VERSION)) {
            throw new SecretDecryptionException("not an encrypted secret (no " + VERSION + " prefix)");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(stored.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretDecryptionException("encrypted secret is not valid base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) throw new SecretDecryptionException("encrypted secret is too short");
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException("cannot decrypt a stored secret: the master key (" + ENVIRONMENT_VARIABLE
                    + ") is not the one it was encrypted with, or the stored value was changed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
