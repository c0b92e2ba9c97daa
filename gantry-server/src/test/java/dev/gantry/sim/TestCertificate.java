package dev.gantry.sim;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate made with the JDK's keytool, for a server or a client on loopback: its
 * key store, the certificate as PEM (for the other side to trust, as a company's own certificate
 * authority), and its private key as PEM (for a client that shows it, as in mutual TLS).
 *
 * @param keyStore PKCS#12, the key with the certificate
 * @param pem      the certificate alone
 * @param keyPem   the private key alone, PKCS#8
 */
public record TestCertificate(Path keyStore, Path pem, Path keyPem) {
    private static final String PASSWORD = "changeit";

    /**
     * A certificate in {@code dir}, its files named after {@code name}, for the names of
     * {@code subjectAltName} in keytool's syntax ({@code ip:127.0.0.1}).
     */
    public static TestCertificate make(Path dir, String name, String subjectAltName) {
        Path keyStore = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        Path keyPem = dir.resolve(name + "-key.pem");
        keytool(List.of("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=gantry-test", "-ext", "SAN=" + subjectAltName,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD));
        keytool(List.of("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString()));
        writeKeyPem(keyStore, keyPem);
        return new TestCertificate(keyStore, pem, keyPem);
    }

    /** keytool shows no private key, so it is read from the key store and written as PEM here. */
    private static void writeKeyPem(Path keyStore, Path keyPem) {
        try (var in = Files.newInputStream(keyStore)) {
            var store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            byte[] pkcs8 = store.getKey("server", PASSWORD.toCharArray()).getEncoded();
            Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a Vert.x server serves it with. */
    public KeyCertOptions keyCertOptions() {
        return new PfxOptions().setPath(keyStore.toString()).setPassword(PASSWORD);
    }

    /** The keytool of the JDK running the tests. */
    private static void keytool(List<String> args) {
        String keytool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool").toString();
        var command = new ArrayList<>(List.of(keytool));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args.getFirst() + " failed: " + new String(process.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
