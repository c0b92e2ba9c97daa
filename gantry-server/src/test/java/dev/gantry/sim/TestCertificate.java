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
 * @param keyStore PKCS#12, password {@link #PASSWORD}
 * @param pem      the certificate alone
 */
public record TestCertificate(Path keyStore, Path pem) {
    private static final String PASSWORD = "changeit";

    /**
     * A certificate in {@code dir} for the names of {@code subjectAltName} (keytool's syntax, e.g.
     * {@code ip:127.0.0.1}), or for none if it is null: a client that checks host names refuses it.
     */
    public static TestCertificate make(Path dir, String subjectAltName) {
        Path keyStore = dir.resolve("server.p12");
        Path pem = dir.resolve("server.pem");
        var genkey = new ArrayList<>(List.of("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=gantry-test",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD));
        if (subjectAltName != null) genkey.addAll(List.of("-ext", "SAN=" + subjectAltName));
        keytool(genkey);
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
