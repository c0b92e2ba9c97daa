package dev.gantry.config;

import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Provider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The validated, immutable configuration the gateway runs with. */
public record GatewayConfig(ServerSettings server, DatabaseSettings database, Optional<String> redisUrl,
                            UsageSettings usage, RoutingSettings routing, List<Provider> providers, ModelCatalog catalog) {

    /** A deployment failing {@code breakerFailures} times in a row is left alone for {@code breakerCooldown}. */
    public record RoutingSettings(int breakerFailures, Duration breakerCooldown) {}

    /**
     * @param maxBodyBytes   largest request body accepted (413 above it); images in base64 make
     *                       legitimate bodies large, hence a generous default
     * @param eventLoops     Vert.x event loops serving HTTP; each has its own upstream client
     * @param shutdownGrace  how long in-flight streams may run on after a stop is asked for
     */
    public record ServerSettings(String host, int port, long maxBodyBytes, int eventLoops, Duration shutdownGrace) {
        public ServerSettings withPort(int newPort) {
            return new ServerSettings(host, newPort, maxBodyBytes, eventLoops, shutdownGrace);
        }
    }

    public record DatabaseSettings(String url, String username, String password, int poolSize) {
        @Override
        public String toString() { return "DatabaseSettings[url=" + url + ", username=" + username + "]"; }
    }

    /**
     * Usage rows are written in batches of up to {@code batchSize}, at least every
     * {@code flushInterval}, through a spool in {@code spoolDir}. {@code durable}: a complete
     * answer's last byte waits until its usage is synced to the spool (else the spool is synced
     * every flush interval and answers do not wait).
     */
    public record UsageSettings(int batchSize, Duration flushInterval, int queueCapacity, boolean durable, Path spoolDir) {}

    public GatewayConfig withPort(int port) {
        return new GatewayConfig(server.withPort(port), database, redisUrl, usage, routing, providers, catalog);
    }

    public GatewayConfig withDatabase(DatabaseSettings db) {
        return new GatewayConfig(server, db, redisUrl, usage, routing, providers, catalog);
    }
}
