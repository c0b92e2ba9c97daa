package dev.gantry.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.gantry.error.ErrorCode;
import java.nio.charset.StandardCharsets;

/** Error bodies and stream error events in the shape each client protocol's SDKs parse. */
public final class ErrorBodies {
    private ErrorBodies() {}

    /** OpenAI: {@code {"error":{...}}}; Anthropic: {@code {"type":"error","error":{...}}}. */
    public static String json(Dialect dialect, ErrorCode code, String message) {
        String msg = escape(message);
        return switch (dialect) {
            case OPENAI -> "{\"error\":{\"message\":\"" + msg + "\",\"type\":\"" + code.openAiType()
                    + "\",\"param\":null,\"code\":\"" + code.openAiCode() + "\"}}";
            case ANTHROPIC -> "{\"type\":\"error\",\"error\":{\"type\":\"" + code.anthropicType()
                    + "\",\"message\":\"" + msg + "\"}}";
        };
    }

    /**
     * The event that ends a stream that failed after it started: the OpenAI SDKs raise an
     * {@code APIError} on a {@code data:} event carrying {@code error}; the Anthropic SDKs on an
     * {@code event: error}.
     */
    public static byte[] streamEvent(Dialect dialect, ErrorCode code, String message) {
        String body = json(dialect, code, message);
        String event = switch (dialect) {
            case OPENAI -> "data: " + body + "\n\n";
            case ANTHROPIC -> "event: error\ndata: " + body + "\n\n";
        };
        return event.getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
