package dev.gantry.server.provider;

import dev.gantry.catalog.ProviderTls;
import dev.gantry.catalog.Timeouts;
import io.vertx.core.MultiMap;

/**
 * Everything needed to send one request to an upstream: where, with which headers, how long to
 * wait, and for https its own certificate authorities and client certificate ({@code tls}; null
 * for the JDK's defaults).
 */
public record UpstreamRequest(boolean ssl, String host, int port, String path, MultiMap headers, Timeouts timeouts,
                              ProviderTls tls) {}
