package dev.gantry.server.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks an option against the values the API accepts, so that a typo is a usage error (exit 2)
 * before any request is made.
 */
final class Choices {
    static final List<String> PERIODS = List.of("day", "week", "month", "total");
    static final List<String> ORG_ROLES = List.of("owner", "admin", "member", "viewer");
    static final List<String> TEAM_ROLES = List.of("member", "team_admin");
    static final List<String> USER_STATUSES = List.of("active", "suspended");
    static final List<String> SCOPES = List.of("key", "user", "team", "org");

    private Choices() {}

    static String require(CommandSpec command, String option, String value, List<String> allowed) {
        if (value == null || allowed.contains(value)) return value;
        throw new ParameterException(command.commandLine(),
                option + ": '" + value + "' is not one of " + String.join(", ", allowed));
    }
}
