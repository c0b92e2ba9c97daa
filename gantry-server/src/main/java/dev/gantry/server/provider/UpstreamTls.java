package dev.gantry.server.provider;

import dev.gantry.catalog.CaCertificates;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;

/** TLS settings for connections to a provider that trusts its own certificate authority. */
public final class UpstreamTls {
    private UpstreamTls() {}

    /**
     * Trusts only {@code ca}, and still checks that the certificate names the host (said here
     * rather than left to the client's defaults: trusting a private authority must not loosen
     * anything else). Vert.x builds the trust manager once per distinct set of certificates and
     * caches it, so this is cheap enough for every new connection.
     */
    public static ClientSSLOptions trusting(CaCertificates ca) {
        return new ClientSSLOptions()
                .setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.pem().getBytes(StandardCharsets.ISO_8859_1))));
    }
}
