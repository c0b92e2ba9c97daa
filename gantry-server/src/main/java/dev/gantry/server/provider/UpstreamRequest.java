package dev.gantry.server.provider;

import io.vertx.core.MultiMap;
import java.time.Duration;

/** Everything needed to send one request to an upstream: where, with which headers, how long to wait. */
public record UpstreamRequest(boolean ssl, String host, int port, String path, MultiMap headers,
                              Duration connectTimeout, Duration readTimeout) {}
