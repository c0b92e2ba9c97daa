package dev.gantry.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.RunningGateway;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code gantry keys} against a real gateway over HTTP, and how the CLI reports what goes wrong. */
class CliKeysTest {
    static RunningGateway gw;

    @BeforeAll
    static void start() { gw = RunningGateway.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    private static Cli.Result admin(String... args) {
        return Cli.against(gw.url(), gw.adminKey(), args);
    }

    @Test
    void createdKeyIsListedInTheTableThenRevoked() {
        var created = admin("keys", "create", "--name", "ci bot", "--model", "open-*", "--model", "claude-*");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Secret (shown only this once").containsPattern("(?m)^  sk-gantry-\\S+$");
        String id = created.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().split("\\s+")[1];

        var listed = admin("keys", "list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("NAME", "STATUS", "MODELS", "CREATED");
        String row = listed.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(row).contains("ci bot", "active", "open-*,claude-*");
        assertThat(listed.out()).doesNotContain("sk-gantry-");

        var revoked = admin("keys", "revoke", id);
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out().strip()).isEqualTo("Revoked key " + id + ".");
        assertThat(admin("keys", "list").out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow()).contains("revoked");
    }

    @Test
    void jsonOutputIsTheApisAnswerAndParses() {
        var created = admin("keys", "create", "--name", "json bot", "--json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode key = created.json();
        assertThat(key.path("key").asText()).startsWith("sk-gantry-");
        assertThat(key.path("name").asText()).isEqualTo("json bot");
        assertThat(created.out()).contains("\n  "); // pretty-printed

        var listed = admin("keys", "list", "--json");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.json().path("object").asText()).isEqualTo("list");
        assertThat(listed.json().path("data").findValuesAsText("id")).contains(key.path("id").asText());
        assertThat(listed.out()).doesNotContain(key.path("key").asText());

        var revoked = admin("keys", "revoke", key.path("id").asText(), "--json");
        assertThat(revoked.json().path("revoked").asBoolean()).isTrue();
    }

    @Test
    void badKeyExitsOneWithTheApisMessageAndNeverPrintsTheKey() {
        var run = Cli.against(gw.url(), "sk-gantry-not-a-real-key-000000000000", "keys", "list");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("gantry: Invalid API key.").contains("HTTP 401");
        assertThat(run.out()).isEmpty();
        assertThat(run.out() + run.err()).doesNotContain("sk-gantry-not-a-real-key");
        assertNoStackTrace(run);
    }

    @Test
    void validationErrorsNameTheField() {
        var run = admin("keys", "create", "--name", "late", "--expires-at", "2001-01-01T00:00:00Z");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("expires_at: must be in the future").contains("HTTP 400");
        assertNoStackTrace(run);
    }

    @Test
    void unknownIdIsAnApiError() {
        var run = admin("keys", "revoke", "key_does_not_exist");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("gantry: ").contains("HTTP 404");
    }

    @Test
    void unreachableGatewayExitsOneWithAClearMessage() throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var run = Cli.against("http://127.0.0.1:" + port, gw.adminKey(), "keys", "list", "--timeout", "5");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("gantry: cannot reach the gateway at http://127.0.0.1:" + port
                + " (connection refused); is it running? Set --url or GANTRY_URL.");
        assertNoStackTrace(run);
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        var run = admin("keys", "create");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--name=NAME'").contains("Usage: gantry keys create");
    }

    static void assertNoStackTrace(Cli.Result run) {
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
