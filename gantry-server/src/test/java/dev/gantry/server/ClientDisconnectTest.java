package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client that hangs up mid-stream stops the upstream at once: tokens cost money. */
class ClientDisconnectTest {
    static GatewayFixture gw;

    @BeforeAll
    static void start() { gw = GatewayFixture.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    @Test
    void hangingUpMidStreamCancelsTheUpstreamAndRecordsWhatWasGenerated() throws Exception {
        gw.sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY).withChunks(200).withChunkDelayMs(20));
        long cancelledBefore = gw.sim.cancelledStreams();
        String body = "{\"model\":\"open-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"write a lot\"}]}";
        String requestId = null;

        try (var socket = new Socket("127.0.0.1", gw.gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gantry\r\nAuthorization: Bearer " + gw.memberKey
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int contentChunks = 0;
            for (String line = in.readLine(); line != null && contentChunks < 5; line = in.readLine()) {
                if (line.toLowerCase().startsWith("x-gantry-request-id:")) requestId = line.substring(20).trim();
                if (line.contains("\"content\":\"tok")) contentChunks++;
            }
            assertThat(contentChunks).isEqualTo(5);
        } // closing the socket is the client hanging up, 5 chunks into a 4-second stream

        assertThat(gw.sim.awaitCancelledStreams(cancelledBefore + 1, Duration.ofSeconds(2)))
                .as("the upstream stream was cancelled within 2 s").isTrue();
        JsonNode row = gw.usageRow(requestId);
        assertThat(row.path("outcome").asText()).isEqualTo("cancelled");
        assertThat(row.path("status").asInt()).isEqualTo(499);
        assertThat(row.path("estimated").asBoolean()).isTrue();
        assertThat(row.path("output_tokens").asLong()).isBetween(5L, 100L);
    }
}
