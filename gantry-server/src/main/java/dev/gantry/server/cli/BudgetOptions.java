package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The budget flags of keys, users, teams and the organisation, turned into the API's fields. Only
 * the flags given become fields, so that an update leaves the others as they are; the value
 * {@value #NONE} sends {@code null}, which removes that budget.
 */
final class BudgetOptions {
    static final String NONE = "none";

    @Option(names = "--budget-usd", paramLabel = "USD", description = "Budget in USD per period, e.g. 25.50 ('none' removes it)")
    String budgetUsd;

    @Option(names = "--budget-tokens", paramLabel = "N", description = "Budget in tokens per period ('none' removes it)")
    String budgetTokens;

    @Option(names = "--budget-period", paramLabel = "PERIOD", description = "day, week, month (the API's default) or total")
    String budgetPeriod;

    /** @param command the command running, named in usage errors */
    ObjectNode addTo(ObjectNode body, CommandSpec command) {
        if (budgetUsd != null) {
            if (budgetUsd.equals(NONE)) body.putNull("budget_usd");
            else body.put("budget_usd", amount(command, budgetUsd));
        }
        putCount(body, command, "budget_tokens", "--budget-tokens", budgetTokens);
        if (budgetPeriod != null) body.put("budget_period", Choices.require(command, "--budget-period", budgetPeriod, Choices.PERIODS));
        return body;
    }

    private static BigDecimal amount(CommandSpec command, String value) {
        try {
            BigDecimal usd = new BigDecimal(value.strip().replaceFirst("^\\$", ""));
            if (usd.signum() >= 0) return usd;
        } catch (NumberFormatException e) {
            // answered below, as for a negative amount
        }
        throw new ParameterException(command.commandLine(), "--budget-usd: '" + value + "' is not an amount of USD (or 'none')");
    }

    /** Puts a whole number >= 0, or null for {@value #NONE}; anything else is a usage error. */
    static void putCount(ObjectNode body, CommandSpec command, String field, String option, String value) {
        if (value == null) return;
        if (value.equals(NONE)) {
            body.putNull(field);
            return;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 0) {
                body.put(field, n);
                return;
            }
        } catch (NumberFormatException e) {
            // answered below, as for a negative count
        }
        throw new ParameterException(command.commandLine(), option + ": '" + value + "' is not a whole number >= 0 (or 'none')");
    }
}
