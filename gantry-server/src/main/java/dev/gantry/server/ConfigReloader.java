package dev.gantry.server;

import dev.gantry.catalog.ModelCatalog;
import dev.gantry.catalog.Secret;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed configuration file without a restart: providers and models (the catalog) are
 * swapped atomically; requests in flight finish on the catalog they started with, new ones see the
 * new one, so none is dropped. Server, database, usage and routing settings need a restart; a
 * reload that changes them says so in the log. A file that does not validate is refused and the
 * running configuration stays.
 *
 * <p>Triggered by {@code POST /api/v1/config/reload} and by a watcher thread that notices the
 * file changing.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
    private static final long POLL_MILLIS = 500;
    private static final long DEBOUNCE_MILLIS = 300;

    private final Path file;
    /** What the file says; {@link #current} is this with the stored provider keys laid over it. */
    private volatile GatewayConfig fromFile;
    private volatile Map<String, Secret> storedKeys;
    private final AtomicReference<GatewayConfig> current;
    private final List<Consumer<GatewayConfig>> listeners = new CopyOnWriteArrayList<>();
    private Thread watcher;

    ConfigReloader(Path file, GatewayConfig initial, Map<String, Secret> storedKeys) {
        this.file = file;
        this.fromFile = initial;
        this.storedKeys = Map.copyOf(storedKeys);
        this.current = new AtomicReference<>(initial.withProviderKeys(this.storedKeys));
    }

    /** Applies a new set of stored provider keys to the running configuration. */
    public synchronized void providerKeysChanged(Map<String, Secret> keys) {
        storedKeys = Map.copyOf(keys);
        apply(fromFile.withProviderKeys(storedKeys));
    }

    private void apply(GatewayConfig config) {
        current.set(config);
        listeners.forEach(l -> l.accept(config));
    }

    public Supplier<ModelCatalog> catalog() { return () -> current.get().catalog(); }

    /** The configuration in force now. */
    public GatewayConfig current() { return current.get(); }

    /** Called with each configuration applied by a reload. */
    void onReload(Consumer<GatewayConfig> listener) { listeners.add(listener); }

    /** Whether the gateway was started from a file that can be reloaded. */
    public boolean hasFile() { return file != null; }

    /** Reads the file again and applies its providers and models. Blocking; throws ConfigException if invalid. */
    public synchronized GatewayConfig reload() {
        if (file == null) throw new IllegalStateException("the gateway was started without a configuration file");
        GatewayConfig next = ConfigLoader.load(file);
        GatewayConfig previous = current.get();
        // what cannot change while running keeps its running value
        fromFile = new GatewayConfig(previous.server(), previous.database(), previous.redisUrl(),
                previous.usage(), previous.routing(), previous.governance(), previous.monitoring(), next.providers(), next.catalog());
        GatewayConfig applied = fromFile.withProviderKeys(storedKeys);
        if (!Objects.equals(next.server().withPort(previous.server().port()), previous.server()) || !next.database().equals(previous.database())
                || !next.usage().equals(previous.usage()) || !next.routing().equals(previous.routing())
                || !next.governance().equals(previous.governance()) || !next.monitoring().equals(previous.monitoring())) {
            log.warn("configuration reloaded: server, database, usage, routing, governance, telemetry and alerts changes "
                    + "take effect at the next restart");
        }
        apply(applied);
        log.info("configuration reloaded from {}: {} provider(s), {} model(s)", file, applied.providers().size(),
                applied.catalog().all().size());
        return applied;
    }

    /**
     * Starts watching the file for changes. It polls the file's modification time and size twice a
     * second rather than using a {@code WatchService}: a directory watch wakes for every write to any
     * file beside the config (an access log, a database), which under load cost more CPU than the
     * gateway's key checks, and polling also follows a symlink swapped by a Kubernetes ConfigMap.
     */
    void watch() {
        if (file == null) return;
        watcher = Thread.ofPlatform().name("gantry-config-watch").daemon().start(this::watchLoop);
    }

    private void watchLoop() {
        Object seen = stamp();
        try {
            while (true) {
                Thread.sleep(POLL_MILLIS);
                Object now = stamp();
                if (Objects.equals(now, seen)) continue;
                Thread.sleep(DEBOUNCE_MILLIS); // editors write in several steps
                seen = stamp();
                try {
                    reload();
                } catch (RuntimeException e) {
                    log.error("configuration change refused, the running configuration stays: {}", e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** What changes when the file is saved: its modification time and size (null while it is missing). */
    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (watcher != null) watcher.interrupt();
    }
}
