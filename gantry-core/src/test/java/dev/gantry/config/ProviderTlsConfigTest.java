package dev.gantry.config;

import static dev.gantry.config.ConfigErrorsTest.NO_ENV;
import static dev.gantry.config.ConfigErrorsTest.loading;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.CaCertificates;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider's own certificate authority ({@code tls.ca_file}): read when the file is loaded, so
 * that a file that cannot be used stops start-up with the field's line, not every request later.
 */
class ProviderTlsConfigTest {

    @Test
    void theCertificateAuthorityIsReadWithTheConfiguration() throws Exception {
        Path ca = resource("internal-ca.pem");
        GatewayConfig config = ConfigLoader.parse(provider("https://vllm.internal:8443/v1", ca.toString()), "gantry.yaml", NO_ENV);
        assertThat(config.providers().getFirst().ca()).contains(new CaCertificates(ca, Files.readString(ca)));
    }

    @Test
    void aProviderWithoutTlsTrustsTheJdksAuthorities() {
        GatewayConfig config = ConfigLoader.parse("""
                providers:
                  - { name: fleet, type: openai, base_url: "https://vllm.internal:8443/v1" }
                """, "gantry.yaml", NO_ENV);
        assertThat(config.providers().getFirst().ca()).isEmpty();
    }

    @Test
    void tlsOnAPlainHttpProviderIsRefused() throws Exception {
        loading(provider("http://vllm.internal:8000/v1", resource("internal-ca.pem").toString()))
                .hasMessage("bad.yaml line 5: providers[0].tls: applies to https:// base URLs only, got 'http://vllm.internal:8000/v1'");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-ca.pem");
        loading(provider("https://vllm.internal/v1", missing.toString()))
                .hasMessage("bad.yaml line 6: providers[0].tls.ca_file: no such file '" + missing + "'");
    }

    @Test
    void aFileThatHoldsNoCertificateIsRefused(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n");
        loading(provider("https://vllm.internal/v1", key.toString()))
                .hasMessage("bad.yaml line 6: providers[0].tls.ca_file: '" + key + "' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void tlsWithoutAFileSaysWhatIsMissing() {
        loading("""
                providers:
                  - name: fleet
                    type: openai
                    base_url: https://vllm.internal/v1
                    tls: {}
                """)
                .hasMessageStartingWith("bad.yaml line 5: providers[0].tls.ca_file: is required");
    }

    private static String provider(String baseUrl, String caFile) {
        return """
                providers:
                  - name: fleet
                    type: openai
                    base_url: %s
                    tls:
                      ca_file: "%s"
                """.formatted(baseUrl, caFile);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ProviderTlsConfigTest.class.getResource("/config/" + name).toURI());
    }
}
