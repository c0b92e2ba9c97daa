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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.math.BigDecimal;
import java.math.RoundingMode;
import dev.gantry.store.ConflictException;
import dev.gantry.store.PageRequest;

/** Reading and answering admin-API JSON, with field-level errors. */
final class Json {
    private static final BigDecimal MAX_USD = new BigDecimal("1000000000");

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

    /** A string that may be absent or null; blank counts as absent. */
    static String optionalString(JsonObject body, String field, int maxLength) {
        Object value = body.getValue(field);
        if (value == null) return null;
        if (!(value instanceof String s)) throw invalid(field, "must be a string");
        if (s.length() > maxLength) throw invalid(field, "must be at most " + maxLength + " characters");
        return s.isBlank() ? null : s.trim();
    }

    /** The field's boolean, or {@code fallback} when it is absent or null. */
    static boolean optionalBoolean(JsonObject body, String field, boolean fallback) {
        Object value = body.getValue(field);
        if (value == null) return fallback;
        if (!(value instanceof Boolean b)) throw invalid(field, "must be a boolean");
        return b;
    }

    static Long optionalLong(JsonObject body, String field, long min, long max) {
        Object value = body.getValue(field);
        if (value == null) return null;
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw invalid(field, "must be a whole number");
        }
        long v = n.longValue();
        if (v < min || v > max) throw invalid(field, "must be between " + min + " and " + max);
        return v;
    }

    /** A USD amount as a JSON number, turned into nano-dollars. */
    static Long optionalUsdNanos(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) return null;
        if (!(value instanceof Number n)) throw invalid(field, "must be a number of US dollars, such as 12.5");
        BigDecimal usd = new BigDecimal(n.toString());
        if (usd.signum() < 0 || usd.compareTo(MAX_USD) > 0) throw invalid(field, "must be between 0 and " + MAX_USD);
        return usd.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    static <E extends Enum<E>> E optionalEnum(JsonObject body, String field, Function<String, Optional<E>> parse,
                                              String allowed) {
        Object value = body.getValue(field);
        if (value == null) return null;
        if (!(value instanceof String s)) throw invalid(field, "must be one of " + allowed);
        return parse.apply(s).orElseThrow(() -> invalid(field, "must be one of " + allowed));
    }

    /** A JSON object of string values (tags). */
    static Map<String, String> optionalTags(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) return null;
        if (!(value instanceof JsonObject object)) throw invalid(field, "must be an object of string values");
        if (object.size() > 50) throw invalid(field, "may have at most 50 entries");
        var tags = new TreeMap<String, String>();
        for (String name : object.fieldNames()) {
            if (!(object.getValue(name) instanceof String v) || name.length() > 100 || v.length() > 500) {
                throw invalid(field, "values must be strings (names up to 100, values up to 500 characters)");
            }
            tags.put(name, v);
        }
        return tags;
    }

    /** A set of accepted body fields: the shared ones plus a route's own. */
    static Set<String> fields(Set<String> shared, String... own) {
        var all = new java.util.HashSet<>(shared);
        all.addAll(List.of(own));
        return Set.copyOf(all);
    }

    static BigDecimal usd(Long nanos) { return nanos == null ? null : BigDecimal.valueOf(nanos, 9).stripTrailingZeros(); }

    static String time(Instant instant) { return instant == null ? null : instant.toString(); }

    /** {@code ?limit=&offset=}: 100 by default, at most 1,000. */
    static PageRequest page(RoutingContext ctx) {
        return new PageRequest(intParam(ctx, "limit", 100, 1, 1000), intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE));
    }

    static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParams().get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(name, "must be a whole number between " + min + " and " + max);
    }

    static JsonObject list(JsonArray data, boolean hasMore) {
        return new JsonObject().put("object", "list").put("data", data).put("has_more", hasMore);
    }

    static GatewayException invalid(String field, String problem) {
        return new FieldError(field, problem);
    }

    static GatewayException notFound(String what, String id) {
        return new GatewayException(ErrorCode.NOT_FOUND, "No " + what + " with id '" + id + "'.");
    }

    static GatewayException forbidden(String message) {
        return new GatewayException(ErrorCode.FORBIDDEN, message);
    }

    static void reply(RoutingContext ctx, int status, Future<?> result) {
        result.onComplete(ar -> {
            if (ar.failed() && ar.cause() instanceof FieldError e) {
                ctx.response().setStatusCode(400).putHeader("content-type", "application/json").end(e.body().encode());
            } else if (ar.failed() && ar.cause() instanceof ConflictException e) {
                ErrorResponder.send(ctx.response(), Dialect.OPENAI, new GatewayException(ErrorCode.CONFLICT, e.getMessage()));
            } else if (ar.failed()) {
                ErrorResponder.send(ctx.response(), Dialect.OPENAI, ar.cause());
            } else if (status == 204) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                        .end(ar.result() instanceof JsonObject o ? o.encode() : String.valueOf(ar.result()));
            }
        });
    }
}
