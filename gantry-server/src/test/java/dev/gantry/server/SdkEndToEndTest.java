package dev.gantry.server;

import static dev.gantry.server.GatewayFixture.PROVIDER_KEY;
import static dev.gantry.server.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.sim.SimBehaviour;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official SDKs from npm ({@code openai}, {@code @anthropic-ai/sdk}, pinned in
 * {@code src/test/node/package.json}) as clients of a real gateway: every client protocol on every
 * upstream protocol, plain and streaming, with and without a tool call. Needs Node.js; installs
 * the SDKs with {@code npm ci} on first run. Skipped, saying so, where there is no Node.js.
 */
class SdkEndToEndTest {
    static final Path NODE_DIR = Path.of("src/test/node");
    static GatewayFixture gw;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(commandWorks("node", "--version"), "Node.js is not installed: SDK end-to-end tests skipped");
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules"))) {
            assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300)).as("npm ci in " + NODE_DIR).isZero();
        }
        gw = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    @BeforeEach
    void reset() { gw.sim.behaviour(SimBehaviour.healthy().withExpectedApiKey(PROVIDER_KEY)); }

    static Stream<Arguments> pairs() {
        var pairs = new ArrayList<Arguments>();
        for (String protocol : List.of("chat", "messages", "responses")) {
            for (String model : List.of("open-model", "claude-model")) {
                for (boolean stream : List.of(false, true)) {
                    for (boolean tools : List.of(false, true)) pairs.add(Arguments.of(protocol, model, stream, tools));
                }
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} client on {1}, stream={2}, tools={3}")
    @MethodSource("pairs")
    void sdkGetsAFaithfulAnswer(String protocol, String model, boolean stream, boolean tools) throws Exception {
        if (tools) gw.sim.behaviour(gw.sim.behaviour().withToolCall("get_weather", "{\"city\":\"Paris\"}"));

        JsonNode result = sdk(protocol, model, gw.memberKey, stream, tools);

        assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        // Passed-through answers keep the upstream's bytes, model id included; translated ones name the asked model.
        boolean passThrough = protocol.equals("chat") && model.equals("open-model") || protocol.equals("messages") && model.equals("claude-model");
        String upstreamId = model.equals("open-model") ? "org/open-model-v1" : "claude-upstream-1";
        assertThat(result.path("model").asText()).isEqualTo(passThrough ? upstreamId : model);
        if (tools) {
            assertThat(result.path("toolCalls")).hasSize(1);
            assertThat(result.path("toolCalls").get(0).path("name").asText()).isEqualTo("get_weather");
            assertThat(result.path("toolCalls").get(0).path("arguments").path("city").asText()).isEqualTo("Paris");
            assertThat(result.path("stopReason").asText()).isIn("tool_calls", "tool_use", "completed");
        } else {
            assertThat(result.path("text").asText()).isEqualTo("tok0 tok1 tok2 tok3 tok4 ");
            assertThat(result.path("stopReason").asText()).isIn("stop", "end_turn", "completed");
        }
        JsonNode usage = result.path("usage");
        long output = usage.has("completion_tokens") ? usage.path("completion_tokens").asLong() : usage.path("output_tokens").asLong();
        assertThat(output).as("usage reported to the client: %s", usage).isPositive();
        if (protocol.equals("messages") && stream) {
            assertThat(result.path("events").get(0).asText()).isEqualTo("message_start");
            assertThat(result.path("events").get(result.path("events").size() - 1).asText()).isEqualTo("message_stop");
        }
        if (protocol.equals("responses") && stream) {
            assertThat(result.path("events").toString()).contains("response.created", "response.completed");
        }
    }

    @Test
    void eachSdkRaisesItsOwnAuthenticationError() throws Exception {
        for (String protocol : List.of("chat", "messages", "responses")) {
            JsonNode result = sdk(protocol, "open-model", "sk-gantry-wrong-key", false, false);
            assertThat(result.path("ok").asBoolean()).isFalse();
            assertThat(result.path("status").asInt()).as(result.toString()).isEqualTo(401);
            assertThat(result.path("errorClass").asText()).isEqualTo("AuthenticationError");
        }
    }

    @Test
    void sdkSeesAnUnknownModelAsNotFound() throws Exception {
        JsonNode result = sdk("messages", "no-such-model", gw.memberKey, false, false);
        assertThat(result.path("status").asInt()).isEqualTo(404);
        assertThat(result.path("errorClass").asText()).isEqualTo("NotFoundError");
    }

    private static JsonNode sdk(String protocol, String model, String key, boolean stream, boolean tools) throws Exception {
        String args = GatewayFixture.JSON.createObjectNode().put("protocol", protocol).put("baseUrl", gw.url(""))
                .put("key", key).put("model", model).put("stream", stream).put("tools", tools).toString();
        Process p = new ProcessBuilder("node", "client.mjs", args).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        return json(last);
    }

    private static boolean commandWorks(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).directory(NODE_DIR.toFile()).inheritIO().start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
