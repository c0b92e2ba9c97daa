package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Turns fields of the admin API's JSON into short table cells; an absent or null field is {@code null}. */
final class Cells {
    private static final BigDecimal CENT = new BigDecimal("0.01");

    private Cells() {}

    /** The items of a list answer ({@code {"object": "list", "data": [...]}}) or of a bare array. */
    static Iterable<JsonNode> items(JsonNode answer) {
        return answer.isArray() ? answer : answer.path("data");
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) return null;
        if (value.isArray()) {
            var parts = new ArrayList<String>();
            value.forEach(v -> parts.add(v.isValueNode() ? v.asText() : v.toString()));
            return String.join(",", parts);
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** A timestamp to the second, e.g. {@code 2026-11-01 09:30:00Z}: narrower than ISO with nanos. */
    static String time(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) return null;
        try {
            return Instant.parse(value).truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    static String usd(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? usd(value.decimalValue()) : null;
    }

    /** Cents; an amount below a cent keeps its digits rather than show as {@code $0.00}. */
    static String usd(BigDecimal amount) {
        if (amount.signum() != 0 && amount.abs().compareTo(CENT) < 0) return "$" + amount.stripTrailingZeros().toPlainString();
        return "$" + amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** {@code $12.50 + 1000000 tok / month}, or {@code null} when there is no budget. */
    static String budget(JsonNode node) {
        var parts = new ArrayList<String>();
        if (usd(node, "budget_usd") != null) parts.add(usd(node, "budget_usd"));
        if (node.path("budget_tokens").isNumber()) parts.add(node.path("budget_tokens").asLong() + " tok");
        if (parts.isEmpty()) return null;
        String period = text(node, "budget_period");
        return String.join(" + ", parts) + (period == null ? "" : " / " + period);
    }

    /** {@code rpm 60, tpm 100000, parallel 4}, or {@code null} when there are no limits. */
    static String limits(JsonNode node) {
        var parts = new ArrayList<String>();
        addCount(parts, node, "rpm", "rpm");
        addCount(parts, node, "tpm", "tpm");
        addCount(parts, node, "max_parallel", "parallel");
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static void addCount(List<String> parts, JsonNode node, String field, String label) {
        if (node.path(field).isNumber()) parts.add(label + " " + node.path(field).asLong());
    }
}
