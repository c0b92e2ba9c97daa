package dev.gantry.server.provider;

import dev.gantry.catalog.CaCertificates;
import dev.gantry.catalog.Timeouts;
import io.vertx.core.MultiMap;

/**
 * Everything needed to send one request to an upstream: where, with which headers, how long to
 * wait, and for https which certificate authorities to trust ({@code ca}; null for the JDK's own).
 */
public record UpstreamRequest(boolean ssl, String host, int port, String path, MultiMap headers, Timeouts timeouts,
                              CaCertificates ca) {}
