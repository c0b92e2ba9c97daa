package dev.gantry.sim;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate made with the JDK's keytool, for a server on loopback: its key store,
 * and the certificate as PEM for a client to trust, as a company's own certificate authority.
 *
 * @param keyStore PKCS#12, the key with the certificate
 * @param pem      the certificate alone
 */
public record TestCertificate(Path keyStore, Path pem) {
    private static final String PASSWORD = "changeit";

    /** A certificate in {@code dir} for the names of {@code subjectAltName}, in keytool's syntax ({@code ip:127.0.0.1}). */
    public static TestCertificate make(Path dir, String subjectAltName) {
        Path keyStore = dir.resolve("server.p12");
        Path pem = dir.resolve("server.pem");
        keytool(List.of("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=gantry-test", "-ext", "SAN=" + subjectAltName,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD));
        keytool(List.of("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString()));
        return new TestCertificate(keyStore, pem);
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
