package dev.gantry.server.admin;

import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A request field the admin API cannot take. Answered as OpenAI's error shape plus a
 * {@code fields} list, so that forms and scripts can point at the field.
 */
final class FieldError extends GatewayException {
    private final String field;
    private final String problem;

    FieldError(String field, String problem) {
        super(ErrorCode.INVALID_REQUEST, field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    JsonObject body() {
        return new JsonObject().put("error", new JsonObject()
                .put("message", getMessage()).put("type", code().openAiType()).put("code", code().openAiCode())
                .put("fields", new JsonArray().add(new JsonObject().put("field", field).put("message", problem))));
    }
}
