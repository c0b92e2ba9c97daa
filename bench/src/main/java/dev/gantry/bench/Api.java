package dev.gantry.bench;

import io.vertx.core.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * The client protocols the load generator speaks: where a request goes, and how to tell from the
 * bytes of the answer that a stream is whole and when its first token came.
 *
 * <p>A stream is whole only when it ends with its protocol's last event: {@code data: [DONE]} for
 * Chat Completions, {@code message_stop} for Anthropic Messages. That is what makes a translated
 * stream count only if it really is an Anthropic event stream to its end (an OpenAI stream relayed
 * untranslated, or one cut short, is an error). The first token is the first event carrying
 * generated text: for Chat a delta starting with {@code "content"} (the role-only first chunk does
 * not count), for Messages a {@code text_delta} (not {@code message_start}, {@code ping} or the
 * block start).
 */
enum Api {
    CHAT("/v1/chat/completions", "data: [DONE]\n\n", "{\"content\":\"", null, null),
    MESSAGES("/v1/messages", "data: {\"type\":\"message_stop\"}\n\n", "{\"type\":\"text_delta\"",
            // sent by every Anthropic SDK and Claude Code; the simulator, like Anthropic, requires it
            "anthropic-version", "2023-06-01");

    final String path;
    /** The last bytes of a whole stream. */
    final byte[] streamEnd;
    /** Bytes that open the first event carrying generated text; its first byte occurs only first in it. */
    final byte[] firstToken;
    final CharSequence headerName;
    final CharSequence headerValue;

    Api(String path, String streamEnd, String firstToken, String headerName, String headerValue) {
        this.path = path;
        this.streamEnd = streamEnd.getBytes(StandardCharsets.US_ASCII);
        this.firstToken = firstToken.getBytes(StandardCharsets.US_ASCII);
        this.headerName = headerName == null ? null : HttpHeaders.createOptimized(headerName);
        this.headerValue = headerValue == null ? null : HttpHeaders.createOptimized(headerValue);
    }

    /** The end of a whole stream as the error says it is missing. */
    String streamEndText() {
        return this == CHAT ? "data: [DONE]" : "message_stop";
    }
}
