package dev.gantry.server;

import dev.gantry.config.ConfigException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gantry serve}: loads the configuration, starts the gateway and runs until SIGTERM/SIGINT,
 * which stops it gracefully. Start-up problems are reported in one line, never as a stack trace.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (default: built-in defaults, or $GANTRY_CONFIG)")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (overrides server.port)")
    Integer port;

    /**
     * Netty checks a buffer's reference count at every read and write of it, 1.7 % of the gateway's
     * CPU at saturation. Gantry's own code never holds a pooled buffer (Vert.x hands it heap copies),
     * so the check only guards Netty's and Vert.x's internals, and with pooled buffers it catches
     * only some misuse anyway: a buffer reused from the pool counts as live. Tests, which start the
     * gateway without this command, keep it on; {@code -Dio.netty.buffer.checkAccessible=true}
     * brings it back.
     */
    private static final String NETTY_ACCESS_CHECK = "io.netty.buffer.checkAccessible";

    /**
     * Netty 4.2's default allocator (adaptive) took 6.5 % of the gateway's CPU at saturation, the
     * pooled one 3 %: the gateway's buffers are many, small and short-lived, and the pooled
     * allocator serves them from per-thread caches. {@code -Dio.netty.allocator.type=adaptive}
     * brings the default back.
     */
    private static final String NETTY_ALLOCATOR = "io.netty.allocator.type";

    @Override
    public Integer call() {
        // before Netty loads
        if (System.getProperty(NETTY_ACCESS_CHECK) == null) System.setProperty(NETTY_ACCESS_CHECK, "false");
        if (System.getProperty(NETTY_ALLOCATOR) == null) System.setProperty(NETTY_ALLOCATOR, "pooled");
        Gateway gateway;
        try {
            Path file = configFile();
            GatewayConfig cfg = file == null ? ConfigLoader.defaults() : ConfigLoader.load(file);
            if (port != null) cfg = cfg.withPort(port);
            gateway = Gateway.start(cfg, file, Optional.ofNullable(System.getenv("GANTRY_ADMIN_KEY")).filter(s -> !s.isBlank()),
                    System.out);
        } catch (ConfigException e) {
            System.err.println("gantry: configuration error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("gantry: cannot start: " + StartupErrors.describe(e));
            return 1;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.stop();
            stopped.countDown();
        }, "gantry-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private Path configFile() {
        if (config != null) return config;
        String fromEnv = System.getenv("GANTRY_CONFIG");
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }
}
