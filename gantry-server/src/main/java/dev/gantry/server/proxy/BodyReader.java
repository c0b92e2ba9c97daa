package dev.gantry.server.proxy;

import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;

/**
 * Reads a request body up to a limit. A declared length over the limit is refused before a byte is
 * read; a chunked body is refused as soon as it crosses the limit, so an oversized upload never
 * sits in memory whole.
 */
final class BodyReader {
    /** Room made up front for a body of declared length: a declared length is a claim, not a reason to allocate it all. */
    private static final int MAX_UP_FRONT = 64 * 1024;

    private final HttpServerRequest request;
    private final long maxBytes;
    private final Promise<byte[]> body = Promise.promise();
    /** The bytes so far, copied once from each chunk; grown as they arrive. */
    private byte[] bytes;
    private int length;

    private BodyReader(HttpServerRequest request, long maxBytes, int expected) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.bytes = new byte[expected];
    }

    static Future<byte[]> read(HttpServerRequest request, long maxBytes) {
        String declared = request.getHeader("content-length");
        long expected = 1024;
        if (declared != null) {
            try {
                expected = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST, "Invalid Content-Length."));
            }
            if (expected > maxBytes) return Future.failedFuture(tooLarge(maxBytes));
        }
        var reader = new BodyReader(request, maxBytes, (int) Math.max(0, Math.min(expected, MAX_UP_FRONT)));
        request.handler(reader::chunk);
        request.exceptionHandler(reader.body::tryFail);
        request.endHandler(v -> reader.body.tryComplete(reader.length == reader.bytes.length
                ? reader.bytes : Arrays.copyOf(reader.bytes, reader.length)));
        request.resume();
        return reader.body.future();
    }

    private void chunk(Buffer chunk) {
        int size = chunk.length();
        if (length + (long) size > maxBytes) {
            request.pause();
            body.tryFail(tooLarge(maxBytes));
            return;
        }
        if (length + size > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(length + size, 2L * bytes.length)));
        }
        chunk.getBytes(0, size, bytes, length);
        length += size;
    }

    private static GatewayException tooLarge(long maxBytes) {
        return new GatewayException(ErrorCode.BODY_TOO_LARGE, "The request body is larger than the limit of " + maxBytes + " bytes.");
    }
}
