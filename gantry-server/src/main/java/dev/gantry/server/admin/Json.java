package dev.gantry.server.admin;

import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.protocol.Dialect;
import dev.gantry.server.http.ErrorResponder;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reading and answering admin-API JSON, with field-level errors. */
final class Json {
    private Json() {}

    static JsonObject body(RoutingContext ctx, Set<String> knownFields) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new GatewayException(ErrorCode.INVALID_JSON, "The request body must be a JSON object.");
        }
        if (body == null) throw new GatewayException(ErrorCode.INVALID_JSON, "The request body must be a JSON object.");
        for (String field : body.fieldNames()) {
            if (!knownFields.contains(field)) {
                throw invalid(field, "unknown field (known: " + String.join(", ", knownFields.stream().sorted().toList()) + ")");
            }
        }
        return body;
    }

    static String requiredString(JsonObject body, String field, int maxLength) {
        Object value = body.getValue(field);
        if (!(value instanceof String s) || s.isBlank()) throw invalid(field, "is required and must be a non-empty string");
        if (s.length() > maxLength) throw invalid(field, "must be at most " + maxLength + " characters");
        return s.trim();
    }

    static List<String> optionalStrings(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) return List.of();
        if (!(value instanceof JsonArray array)) throw invalid(field, "must be a list of strings");
        var out = new ArrayList<String>();
        for (Object item : array) {
            if (!(item instanceof String s) || s.isBlank()) throw invalid(field, "must be a list of non-empty strings");
            out.add(s.trim());
        }
        return out;
    }

    static Instant optionalInstant(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) return null;
        if (!(value instanceof String s)) throw invalid(field, "must be an ISO-8601 timestamp such as 2027-01-31T00:00:00Z");
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw invalid(field, "must be an ISO-8601 timestamp such as 2027-01-31T00:00:00Z");
        }
    }

    static GatewayException invalid(String field, String problem) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, field + ": " + problem);
    }

    static void reply(RoutingContext ctx, int status, Future<?> result) {
        result.onComplete(ar -> {
            if (ar.failed()) {
                ErrorResponder.send(ctx.response(), Dialect.OPENAI, ar.cause());
            } else {
                ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                        .end(ar.result() instanceof JsonObject o ? o.encode() : String.valueOf(ar.result()));
            }
        });
    }
}
