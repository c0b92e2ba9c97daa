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
        return new UpstreamRequest(ssl, base.getHost(), port, withoutTrailingSlashes(base.getRawPath()) + pathSuffix, headers,
                deployment.timeouts(), provider.tls().orElse(null));
    }

    /** The base URL's path without its trailing slashes; a loop, not a regex: this runs for every request. */
    private static String withoutTrailingSlashes(String path) {
        if (path == null) return "";
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') end--;
        return path.substring(0, end);
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
