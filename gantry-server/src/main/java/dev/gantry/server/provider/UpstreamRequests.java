package dev.gantry.server.provider;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Provider;
import io.vertx.core.MultiMap;
import java.net.URI;

/** What every adapter does alike: resolve the base URL and start the header set. */
final class UpstreamRequests {
    private UpstreamRequests() {}

    static UpstreamRequest build(Deployment deployment, String pathSuffix, MultiMap headers) {
        Provider provider = deployment.provider();
        URI base = provider.baseUrl();
        boolean ssl = "https".equals(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        return new UpstreamRequest(ssl, base.getHost(), port, basePath + pathSuffix, headers, deployment.timeouts());
    }

    static MultiMap baseHeaders(Provider provider, MultiMap clientHeaders) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .add("content-type", "application/json")
                .add("user-agent", "gantry/0.1");
        String accept = clientHeaders.get("accept");
        if (accept != null) h.add("accept", accept);
        provider.headers().forEach(h::add);
        return h;
    }
}
