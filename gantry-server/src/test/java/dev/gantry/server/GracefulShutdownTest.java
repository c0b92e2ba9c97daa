package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.sim.SimBehaviour;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Stopping the gateway refuses new work but lets the streams in flight finish. */
class GracefulShutdownTest {
    private static final String STREAM_REQUEST =
            "{\"model\":\"open-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void streamInFlightFinishesWhileTheGatewayStops() throws Exception {
        GatewayFixture gw = GatewayFixture.start();
        try {
            gw.sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY).withChunks(20).withChunkDelayMs(50));
            var response = gw.postStreaming("/v1/chat/completions", STREAM_REQUEST, gw.memberKey);
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

    /**
     * Many connections closing at once at the end of their answers: each answer's last bytes (the
     * stream's end and the chunked body's terminator) must reach the client before its connection
     * closes. A client whose body ends early gets an IOException from the iterator.
     */
    @Test
    void everyStreamInFlightEndsWholeWhenTheGatewayStops() throws Exception {
        int streams = 40;
        GatewayFixture gw = GatewayFixture.start();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            gw.sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY).withChunks(10).withChunkDelayMs(30));
            var started = new CountDownLatch(streams);
            var answers = new ArrayList<CompletableFuture<List<String>>>();
            for (int i = 0; i < streams; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    Iterator<String> lines = gw.postStreaming("/v1/chat/completions", STREAM_REQUEST, gw.memberKey).body().iterator();
                    var events = new ArrayList<String>();
                    events.add(lines.next());
                    started.countDown();
                    lines.forEachRemaining(line -> { if (!line.isEmpty()) events.add(line); });
                    return events;
                }, clients));
            }
            started.await();
            gw.gateway.stop();
            for (var answer : answers) {
                List<String> events = answer.get();
                assertThat(events).filteredOn(e -> e.contains("\"content\":\"tok")).hasSize(10);
                assertThat(events.getLast()).isEqualTo("data: [DONE]");
            }
        } finally {
            gw.close();
        }
    }
}
