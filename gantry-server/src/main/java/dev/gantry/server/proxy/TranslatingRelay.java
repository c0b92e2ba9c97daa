package dev.gantry.server.proxy;

import dev.gantry.error.ErrorCode;
import dev.gantry.translate.StreamTranslator;
import dev.gantry.translate.Translation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Different protocols on the two sides. A stream is translated chunk by chunk as it arrives; a
 * JSON answer or an error is collected (they are small) and translated whole at its end.
 */
final class TranslatingRelay implements AnswerRelay {
    private final Translation translation;
    private final String clientModel;
    private StreamTranslator stream;
    private Buffer collected;
    private int upstreamStatus;

    TranslatingRelay(Translation translation, String clientModel) {
        this.translation = translation;
        this.clientModel = clientModel;
    }

    @Override
    public void begin(HttpClientResponse upstream, HttpServerResponse response) {
        upstreamStatus = upstream.statusCode();
        String contentType = upstream.getHeader("content-type");
        boolean sse = upstreamStatus < 400 && contentType != null && contentType.startsWith("text/event-stream");
        String retryAfter = upstream.getHeader("retry-after");
        if (retryAfter != null) response.putHeader("retry-after", retryAfter);
        if (sse) {
            stream = translation.stream(clientModel);
            response.setStatusCode(200).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache")
                    .setChunked(true);
        } else {
            collected = Buffer.buffer();
            response.setStatusCode(upstreamStatus < 400 ? upstreamStatus : translation.errorStatus(upstreamStatus))
                    .putHeader("content-type", "application/json").setChunked(true);
        }
    }

    @Override
    public boolean isStream() { return stream != null; }

    @Override
    public Buffer chunk(Buffer upstreamChunk) {
        if (stream != null) return Buffer.buffer(stream.feed(upstreamChunk.getBytes()));
        collected.appendBuffer(upstreamChunk);
        return null;
    }

    @Override
    public Buffer end() {
        if (stream != null) return Buffer.buffer(stream.end());
        byte[] body = collected.getBytes();
        return Buffer.buffer(upstreamStatus < 400 ? translation.response(body, clientModel) : translation.error(upstreamStatus, body));
    }

    @Override
    public Buffer broke(ErrorCode code, String message) {
        return stream == null ? null : Buffer.buffer(stream.fail(code, message));
    }
}
