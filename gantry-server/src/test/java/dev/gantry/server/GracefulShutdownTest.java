package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.sim.SimBehaviour;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping the gateway refuses new work but lets the streams in flight finish. */
class GracefulShutdownTest {

    @Test
    void streamInFlightFinishesWhileTheGatewayStops() throws Exception {
        GatewayFixture gw = GatewayFixture.start();
        try {
            gw.sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY).withChunks(20).withChunkDelayMs(50));
            var response = gw.postStreaming("/v1/chat/completions",
                    "{\"model\":\"open-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", gw.memberKey);
            Iterator<String> lines = response.body().iterator();
            String first = lines.next();
            assertThat(first).startsWith("data: ");

            var stopping = CompletableFuture.runAsync(gw.gateway::stop);
            Thread.sleep(200);
            assertThatThrownBy(() -> new Socket("127.0.0.1", gw.gateway.port()).close())
                    .as("new connections are refused while stopping").isInstanceOf(ConnectException.class);

            String last = first;
            int contentChunks = 0;
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.contains("\"content\":\"tok")) contentChunks++;
                if (!line.isEmpty()) last = line;
            }
            assertThat(contentChunks).isEqualTo(20 - (first.contains("\"content\":\"tok") ? 1 : 0));
            assertThat(last).isEqualTo("data: [DONE]");
            stopping.get();
        } finally {
            gw.close();
        }
    }
}
