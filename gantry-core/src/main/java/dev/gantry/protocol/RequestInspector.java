package dev.gantry.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import java.io.IOException;

/**
 * Reads {@code model}, {@code stream}, {@code stream_options} and the output cap from a request body with Jackson's
 * streaming parser. The whole body is tokenized (so malformed JSON is caught here, with a clear
 * error, instead of upstream) but no tree is built: nested values are skipped.
 */
public final class RequestInspector {
    private static final JsonFactory JSON = JsonFactory.builder()
            // bodies are bounded by the server's size limit; base64 images make long strings legitimate
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private RequestInspector() {}

    public static RequestFacts inspect(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new GatewayException(ErrorCode.INVALID_JSON, "The request body must be a JSON object.");
            }
            int rootStart = (int) p.currentTokenLocation().getByteOffset();
            String model = null;
            int modelStart = -1, modelEnd = -1;
            boolean stream = false;
            RequestFacts.StreamOptions streamOptions = null;
            boolean clientWantsUsage = false;
            long maxTokens = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new GatewayException(ErrorCode.INVALID_REQUEST, "'model' must be a string.");
                        }
                        modelStart = (int) p.currentTokenLocation().getByteOffset();
                        model = p.getText();
                        modelEnd = (int) p.currentLocation().getByteOffset();
                    }
                    case "stream" -> stream = value == JsonToken.VALUE_TRUE;
                    case "stream_options" -> {
                        streamOptions = streamOptions(p, value);
                        clientWantsUsage = streamOptions.includeUsageStart() >= 0
                                && body[streamOptions.includeUsageStart()] == 't';
                    }
                    // Chat Completions, its newer name, and Responses: the budget's worst case
                    case "max_tokens", "max_completion_tokens", "max_output_tokens" -> {
                        if (value == JsonToken.VALUE_NUMBER_INT) { // an absurd one makes the worst case huge, not free
                            long n = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE : p.getLongValue();
                            maxTokens = Math.max(maxTokens, n);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new GatewayException(ErrorCode.INVALID_JSON, "Unexpected content after the JSON object.");
            }
            if (model == null || model.isEmpty()) {
                throw new GatewayException(ErrorCode.MISSING_MODEL, "The request has no 'model'.");
            }
            return new RequestFacts(model, stream, clientWantsUsage, modelStart, modelEnd, rootStart, streamOptions, maxTokens);
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.INVALID_JSON, "The request body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static RequestFacts.StreamOptions streamOptions(JsonParser p, JsonToken value) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (value != JsonToken.START_OBJECT) {
            // a scalar is read to its end; an array (wrong, but valid JSON) is skipped whole
            if (value == JsonToken.START_ARRAY) p.skipChildren();
            else p.getText();
            return new RequestFacts.StreamOptions(start, (int) p.currentLocation().getByteOffset(), false, true, -1, -1);
        }
        boolean empty = true;
        int usageStart = -1, usageEnd = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            empty = false;
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("include_usage")) {
                usageStart = (int) p.currentTokenLocation().getByteOffset();
                p.getText();
                usageEnd = (int) p.currentLocation().getByteOffset();
                if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL) {
                    throw new GatewayException(ErrorCode.INVALID_REQUEST, "'stream_options.include_usage' must be a boolean.");
                }
            } else {
                p.skipChildren();
            }
        }
        return new RequestFacts.StreamOptions(start, (int) p.currentLocation().getByteOffset(), true, empty, usageStart, usageEnd);
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
