package dev.gantry.server.provider;

import dev.gantry.catalog.ProviderTls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;

/** TLS settings for connections to a provider with its own certificate authority or client certificate. */
public final class UpstreamTls {
    private UpstreamTls() {}

    /**
     * Trusts only the provider's authorities if it names some (else the JDK's), shows its client
     * certificate if it has one, and always checks that the server's certificate names the host
     * (said here rather than left to the client's defaults: settings of one's own must not loosen
     * anything else). Vert.x builds the key and trust managers once per distinct set of files'
     * contents and caches them, so this is cheap enough for every new connection.
     */
    public static ClientSSLOptions options(ProviderTls tls) {
        var options = new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS");
        if (tls.caPem() != null) options.setTrustOptions(new PemTrustOptions().addCertValue(pem(tls.caPem())));
        if (tls.certificatePem() != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().addCertValue(pem(tls.certificatePem()))
                    .addKeyValue(pem(tls.keyPem().value())));
        }
        return options;
    }

    private static Buffer pem(String text) {
        return Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
