package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A bad configuration stops {@code gantry serve} with one clear line and exit code 2, never a stack trace. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String stderr) {}

    private Run serve(String yaml) throws Exception {
        Path config = dir.resolve("gantry.yaml");
        Files.writeString(config, yaml);
        var err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute("serve", "--config", config.toString());
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void unknownProviderTypeNamesTheFieldAndLine() throws Exception {
        Run run = serve("""
                providers:
                  - name: fleet
                    type: vllm
                    base_url: http://127.0.0.1:1/v1
                """);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("gantry: configuration error: " + dir.resolve("gantry.yaml")
                + " line 3: providers[0].type: unknown provider type 'vllm' (supported: openai, anthropic)");
    }

    @Test
    void modelPointingAtAMissingProviderIsOneLine() throws Exception {
        Run run = serve("""
                models:
                  - name: m
                    deployments: [ { provider: nowhere, model: x } ]
                """);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("line 3: models[0].deployments[0].provider: 'nowhere' is not a provider")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.stderr().strip().lines()).hasSize(1);
    }

    @Test
    void missingFileIsOneLine() {
        var err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute("serve", "--config", dir.resolve("absent.yaml").toString());
            assertThat(code).isEqualTo(2);
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("absent.yaml: no such file");
    }
}
