package dev.gantry.translate.fromresponses;

import dev.gantry.translate.TranslationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code response} object, with every field the SDKs model, in OpenAI's order. */
final class ResponseObject {
    private ResponseObject() {}

    /**
     * @param status     in_progress, completed, incomplete or failed
     * @param error      {@code {code, message}} for a failed response, else null
     * @param incomplete the {@code incomplete_details.reason}, or null
     */
    static ObjectNode build(String id, long createdAt, String model, String status, ResponsesContext context,
                            ArrayNode output, JsonNode usage, JsonNode error, String incomplete) {
        ObjectNode echo = context.echo();
        ObjectNode r = TranslationJson.object();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", status);
        r.put("background", false);
        r.set("error", error == null ? NullNode.getInstance() : error);
        if (incomplete == null) r.putNull("incomplete_details");
        else r.putObject("incomplete_details").put("reason", incomplete);
        r.set("instructions", echo.get("instructions"));
        r.set("max_output_tokens", echo.get("max_output_tokens"));
        r.set("max_tool_calls", echo.get("max_tool_calls"));
        r.put("model", model);
        r.set("output", output);
        for (String field : ResponsesContext.ECHOED.subList(3, ResponsesContext.ECHOED.indexOf("user"))) {
            r.set(field, echo.get(field));
        }
        r.set("usage", usage == null ? NullNode.getInstance() : usage);
        r.set("user", echo.get("user"));
        r.set("metadata", echo.get("metadata"));
        return r;
    }
}
