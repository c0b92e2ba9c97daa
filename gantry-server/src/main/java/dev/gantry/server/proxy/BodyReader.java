package dev.gantry.server.proxy;

import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit. A declared length over the limit is refused before a byte is
 * read; a chunked body is refused as soon as it crosses the limit, so an oversized upload never
 * sits in memory whole.
 */
final class BodyReader {
    private BodyReader() {}

    static Future<byte[]> read(HttpServerRequest request, long maxBytes) {
        String declared = request.getHeader("content-length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST, "Invalid Content-Length."));
            }
            if (length > maxBytes) return Future.failedFuture(tooLarge(maxBytes));
        }
        Promise<byte[]> body = Promise.promise();
        // grown as bytes arrive: a declared length is a claim, not a reason to allocate it up front
        Buffer collected = Buffer.buffer(declared != null ? (int) Math.min(Long.parseLong(declared.trim()), 64 * 1024) : 1024);
        request.handler(chunk -> {
            if (collected.length() + chunk.length() > maxBytes) {
                request.pause();
                body.tryFail(tooLarge(maxBytes));
            } else {
                collected.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(body::tryFail);
        request.endHandler(v -> body.tryComplete(collected.getBytes()));
        request.resume();
        return body.future();
    }

    private static GatewayException tooLarge(long maxBytes) {
        return new GatewayException(ErrorCode.BODY_TOO_LARGE, "The request body is larger than the limit of " + maxBytes + " bytes.");
    }
}
