package dev.gantry.config;

import static dev.gantry.config.ConfigErrorsTest.NO_ENV;
import static dev.gantry.config.ConfigErrorsTest.loading;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.Provider;
import dev.gantry.catalog.ProviderTls;
import dev.gantry.catalog.Secret;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider's TLS files ({@code tls.ca_file}, {@code cert_file}, {@code key_file}): read when the
 * configuration is loaded, so that a file that cannot be used stops start-up with the field's
 * line, not every request later; the private key never shows in an error or a log line.
 */
class ProviderTlsConfigTest {
    @TempDir
    Path dir;

    @Test
    void theCertificateAuthorityIsReadWithTheConfiguration() throws Exception {
        Path ca = resource("internal-ca.pem");
        Provider provider = load("ca_file: \"" + ca + "\"");
        assertThat(provider.tls()).contains(new ProviderTls(Files.readString(ca), null, new Secret(null)));
    }

    @Test
    void aClientCertificateAndItsKeyAreReadAndTheKeyIsNeverPrinted() throws Exception {
        Path certificate = resource("internal-ca.pem");
        Path key = privateKey();
        Provider provider = load("cert_file: \"" + certificate + "\", key_file: \"" + key + "\"");
        ProviderTls tls = provider.tls().orElseThrow();
        assertThat(tls.caPem()).as("the JDK's authorities still apply").isNull();
        assertThat(tls.certificatePem()).isEqualTo(Files.readString(certificate));
        assertThat(tls.keyPem().value()).isEqualTo(Files.readString(key));
        String keyBody = Files.readString(key).lines().skip(1).findFirst().orElseThrow();
        assertThat(provider.toString()).doesNotContain(keyBody).contains("<secret>");
    }

    @Test
    void aProviderWithoutTlsHasTheJdksDefaults() {
        GatewayConfig config = ConfigLoader.parse("""
                providers:
                  - { name: fleet, type: openai, base_url: "https://vllm.internal:8443/v1" }
                """, "gantry.yaml", NO_ENV);
        assertThat(config.providers().getFirst().tls()).isEmpty();
    }

    @Test
    void tlsOnAPlainHttpProviderIsRefused() throws Exception {
        loading(yaml("http://vllm.internal:8000/v1", "ca_file: \"" + resource("internal-ca.pem") + "\""))
                .hasMessage("bad.yaml line 5: providers[0].tls: applies to https:// base URLs only, got 'http://vllm.internal:8000/v1'");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("no-such-ca.pem");
        loading(yaml("https://vllm.internal/v1", "ca_file: \"" + missing + "\""))
                .hasMessage("bad.yaml line 6: providers[0].tls.ca_file: no such file '" + missing + "'");
    }

    @Test
    void aFileThatHoldsNoCertificateIsRefused() throws Exception {
        Path key = privateKey();
        loading(yaml("https://vllm.internal/v1", "ca_file: \"" + key + "\""))
                .hasMessage("bad.yaml line 6: providers[0].tls.ca_file: '" + key + "' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void aKeyFileWithoutAKeyIsRefusedWithoutQuotingIt() throws Exception {
        Path notAKey = resource("internal-ca.pem");
        loading(yaml("https://vllm.internal/v1", "cert_file: \"" + notAKey + "\", key_file: \"" + notAKey + "\""))
                .hasMessageStartingWith("bad.yaml line 6: providers[0].tls.key_file: '" + notAKey + "' holds no PEM private key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("BEGIN CERTIFICATE"));
    }

    @Test
    void aCertificateWithoutItsKeySaysWhatIsMissing() throws Exception {
        loading(yaml("https://vllm.internal/v1", "cert_file: \"" + resource("internal-ca.pem") + "\""))
                .hasMessageStartingWith("bad.yaml line 6: providers[0].tls.key_file: is required with cert_file");
    }

    @Test
    void tlsWithNoFileSaysWhatToGive() {
        loading(yaml("https://vllm.internal/v1", ""))
                .hasMessage("bad.yaml line 5: providers[0].tls: give ca_file, or cert_file and key_file, or all three");
    }

    private Provider load(String tlsFields) {
        return ConfigLoader.parse(yaml("https://vllm.internal:8443/v1", tlsFields), "gantry.yaml", NO_ENV).providers().getFirst();
    }

    private static String yaml(String baseUrl, String tlsFields) {
        return """
                providers:
                  - name: fleet
                    type: openai
                    base_url: %s
                    tls:
                      { %s }
                """.formatted(baseUrl, tlsFields);
    }

    /** A fresh EC key as PKCS#8 PEM, as openssl and cert-manager write them. */
    private Path privateKey() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
        return Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ProviderTlsConfigTest.class.getResource("/config/" + name).toURI());
    }
}
