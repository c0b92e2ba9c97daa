package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.gantry.config.GatewayConfig.NetworkTransport;
import dev.gantry.server.http.EventLoopTransport;
import io.vertx.core.transport.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    private static boolean available(String name) {
        return (name.equals("io_uring") ? Transport.IO_URING : Transport.EPOLL).available();
    }
}
