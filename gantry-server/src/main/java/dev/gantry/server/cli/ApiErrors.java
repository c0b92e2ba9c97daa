package dev.gantry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns an admin-API error answer into lines for the terminal: the API's own message, the HTTP
 * status, and one line per field error ({@code {"error": {"message", "fields": [{"field",
 * "message"}]}}}).
 */
final class ApiErrors {
    private static final int MAX_RAW_BODY = 300;

    private ApiErrors() {}

    static String describe(int status, String body) {
        JsonNode error;
        try {
            error = AdminClient.JSON.readTree(body).path("error");
        } catch (Exception e) { // not JSON: a proxy in between, or not a gateway at all
            error = null;
        }
        if (error == null || !error.path("message").isTextual()) {
            String raw = body.strip();
            if (raw.length() > MAX_RAW_BODY) raw = raw.substring(0, MAX_RAW_BODY) + "...";
            return "HTTP " + status + (raw.isEmpty() ? "" : ": " + raw);
        }
        var text = new StringBuilder(error.path("message").asText()).append(" (HTTP ").append(status).append(')');
        for (JsonNode field : error.path("fields")) {
            text.append(System.lineSeparator()).append("  ").append(field.path("field").asText())
                    .append(": ").append(field.path("message").asText());
        }
        return text.toString();
    }
}
