package dev.gantry.server.provider;

import dev.gantry.catalog.Timeouts;
import io.vertx.core.MultiMap;

/** Everything needed to send one request to an upstream: where, with which headers, how long to wait. */
public record UpstreamRequest(boolean ssl, String host, int port, String path, MultiMap headers, Timeouts timeouts) {}
