package dev.gantry.server.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where the gateway is, which key to use, and how to print: the options every admin command takes. */
final class ConnectionOptions {
    static final String DEFAULT_URL = "http://127.0.0.1:4000";

    @Option(names = "--url", paramLabel = "URL",
            description = "The gateway's address (default: $GANTRY_URL, else " + DEFAULT_URL + ")")
    String url;

    // No defaultValue: picocli could show a default in help or traces, and the key must never be printed.
    @Option(names = "--key", paramLabel = "KEY",
            description = "An admin key (default: $GANTRY_ADMIN_KEY, else $GANTRY_API_KEY)")
    String key;

    @Option(names = "--json", description = "Print the API's JSON answer, pretty-printed, instead of a table")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for the gateway (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    boolean json() {
        return json;
    }

    /** @param command the command running, named in usage errors */
    AdminClient client(CommandSpec command) {
        String base = firstSet(url, System.getenv("GANTRY_URL")).orElse(DEFAULT_URL).replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            throw usage(command, "--url: '" + base + "' is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw usage(command, "--url: '" + base + "' is not an http:// or https:// address");
        }
        if (timeoutSeconds <= 0) throw usage(command, "--timeout: must be a positive number of seconds");
        String secret = firstSet(key, System.getenv("GANTRY_ADMIN_KEY"), System.getenv("GANTRY_API_KEY"))
                .orElseThrow(() -> usage(command, "no key: pass --key or set GANTRY_ADMIN_KEY"));
        return new AdminClient(base, secret, Duration.ofSeconds(timeoutSeconds));
    }

    private static ParameterException usage(CommandSpec command, String message) {
        return new ParameterException(command.commandLine(), message);
    }

    private static Optional<String> firstSet(String... values) {
        return Stream.of(values).filter(v -> v != null && !v.isBlank()).findFirst().map(String::strip);
    }
}
