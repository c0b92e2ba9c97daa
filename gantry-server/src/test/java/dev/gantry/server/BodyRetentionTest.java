package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig;
import dev.gantry.store.Database;
import dev.gantry.store.RequestBodyRepository;
import dev.gantry.store.RequestBodyRepository.Bodies;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Captured bodies older than {@code usage.body_retention_days} are deleted by the running gateway. */
class BodyRetentionTest {

    @Test
    void bodiesPastTheirRetentionAreDeletedAndYoungerOnesKept() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        GatewayConfig config = ConfigLoader.parse("""
                server: { port: 0, host: 127.0.0.1, event_loops: 1 }
                database: { url: "%s" }
                usage: { body_retention_days: 7, spool_dir: "%s" }
                providers:
                  - { name: up, type: openai, base_url: "http://127.0.0.1:9/v1" }
                models:
                  - { name: m, deployments: [ { provider: up, model: m } ] }
                """.formatted(url, Files.createTempDirectory("gantry-spool")), "test.yaml", name -> null);
        Instant now = Instant.now();
        try (Database db = Database.open(config.database())) {
            var bodies = new RequestBodyRepository(db.dataSource());
            bodies.insert(new Bodies("req_old", now.minus(Duration.ofDays(8)), "old prompt", "old answer", false));
            bodies.insert(new Bodies("req_young", now.minus(Duration.ofDays(6)), "young prompt", "young answer", false));

            try (Gateway gateway = Gateway.start(config, Optional.of(ADMIN_KEY), System.out)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (bodies.findByRequestId("req_old").isPresent() && System.nanoTime() < deadline) Thread.sleep(20);

                assertThat(bodies.findByRequestId("req_old")).as("8 days old, kept 7").isEmpty();
                assertThat(bodies.findByRequestId("req_young")).as("6 days old").isPresent();
            }
        }
    }
}
