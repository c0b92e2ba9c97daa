package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.gantry.config.GatewayConfig.NetworkTransport;
import dev.gantry.server.http.EventLoopTransport;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every transport {@code server.transport} can name serves the data plane: a plain and a streamed
 * answer, each with its usage row. The other tests run on the one {@code auto} picks.
 */
class EventLoopTransportTest {

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void servesPlainAndStreamedChat(String transport) {
        assumeThat(transport.equals("nio") || available(transport)).as(transport + " runs on this machine").isTrue();
        try (var gw = GatewayFixture.start("  transport: " + transport)) {
            assertThat(gw.gateway.transport()).isEqualTo(transport);

            var plain = gw.post("/v1/chat/completions",
                    "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", gw.memberKey);
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(GatewayFixture.json(plain.body()).at("/choices/0/message/content").asText()).isNotEmpty();
            assertThat(gw.usageRow(plain.headers().firstValue("x-gantry-request-id").orElseThrow()).path("output_tokens").asLong())
                    .isPositive();

            var streamed = gw.postStreaming("/v1/chat/completions",
                    "{\"model\":\"open-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", gw.memberKey);
            assertThat(streamed.statusCode()).isEqualTo(200);
            List<String> events = streamed.body().filter(line -> line.startsWith("data: ")).toList();
            assertThat(events).hasSizeGreaterThan(2).last().isEqualTo("data: [DONE]");
            assertThat(gw.usageRow(streamed.headers().firstValue("x-gantry-request-id").orElseThrow()).path("output_tokens").asLong())
                    .isPositive();
        }
    }

    @Test
    void autoTakesIoUringWhereTheMachineAllowsItElseEpoll() {
        Transport expected = Transport.IO_URING.available() ? Transport.IO_URING
                : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
        assertThat(EventLoopTransport.pick(NetworkTransport.AUTO)).isEqualTo(expected);
        try (var gw = GatewayFixture.start()) {
            assertThat(gw.gateway.transport()).isEqualTo(expected.name());
        }
    }

    /**
     * A machine without io_uring, made by switching Netty's native transports off in a separate JVM
     * (as a seccomp profile that forbids io_uring would): naming it stops start-up with the reason
     * in one line; {@code auto} serves on what is left.
     */
    @Test
    void aTransportTheMachineLacksStopsStartUpWhenNamedAndIsPassedOverByAuto(@TempDir Path dir) throws Exception {
        Path named = dir.resolve("named.yaml");
        Files.writeString(named, """
                server: { port: 0, host: 127.0.0.1, transport: io_uring }
                database: { url: "jdbc:h2:mem:named" }
                usage: { spool_dir: "%s" }
                """.formatted(dir.resolve("spool-named")));
        Process refused = gantryServe(named, dir.resolve("named.log"));
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("named.log")))
                .contains("gantry: cannot start: server.transport: io_uring cannot run on this machine")
                .doesNotContain("\tat ");

        Path auto = dir.resolve("auto.yaml");
        Files.writeString(auto, """
                server: { port: 0, host: 127.0.0.1 }
                database: { url: "jdbc:h2:mem:auto" }
                usage: { spool_dir: "%s" }
                """.formatted(dir.resolve("spool-auto")));
        Process served = gantryServe(auto, dir.resolve("auto.log"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(dir.resolve("auto.log")).contains("Gantry listening on")) {
                assertThat(served.isAlive()).as("gateway running: " + Files.readString(dir.resolve("auto.log"))).isTrue();
                assertThat(System.nanoTime()).as("gateway listening in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(Files.readString(dir.resolve("auto.log"))).contains("event loop(s), nio transport");
        } finally {
            served.destroy();
            served.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Logs with logback.xml as `gantry serve` ships it (the tests' own logs only warnings), for the start-up line. */
    private static Process gantryServe(Path config, Path log) throws IOException {
        return GatewayFixture.serveInNewJvm(config, log, "-Xmx128m", "-Dio.netty.transport.noNative=true",
                "-Dlogback.configurationFile=logback.xml");
    }

    private static boolean available(String name) {
        return (name.equals("io_uring") ? Transport.IO_URING : Transport.EPOLL).available();
    }
}
