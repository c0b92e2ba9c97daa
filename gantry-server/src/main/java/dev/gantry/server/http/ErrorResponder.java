package dev.gantry.server.http;

import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.protocol.Dialect;
import dev.gantry.protocol.ErrorBodies;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into error responses: a {@link GatewayException} keeps its
 * code, an upstream I/O failure becomes 502 or 504, anything else is a 500 whose details go to the
 * log, never to the client.
 */
public final class ErrorResponder {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponder.class);

    private ErrorResponder() {}

    public static GatewayException classify(Throwable t) {
        if (t instanceof GatewayException g) return g;
        if (t instanceof TimeoutException) {
            return new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "The upstream model server did not answer in time.");
        }
        if (t instanceof ConnectException || t instanceof UnknownHostException) {
            return new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "The upstream model server is unreachable.");
        }
        if (tlsFailureReason(t) != null) { // an untrusted certificate, a wrong host name, no client certificate: the operator's to fix
            return new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE,
                    "The gateway could not set up a trusted TLS connection to the upstream model server.");
        }
        if (t instanceof HttpClosedException || t instanceof IOException) { // resets
            return new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "The upstream model server closed the connection.");
        }
        log.error("unexpected failure", t);
        return new GatewayException(ErrorCode.INTERNAL, "Internal gateway error.");
    }

    /**
     * What went wrong, if {@code t} is a failed TLS handshake: the message of its innermost cause
     * ("unable to find valid certification path ..."), Vert.x's own being only "Failed to create SSL
     * connection"; null for any other failure. The handshake failure may itself be wrapped: Netty
     * reports one the server ends after the client thought it done (TLS 1.3, a client certificate
     * refused) inside a decoder error.
     */
    public static String tlsFailureReason(Throwable t) {
        boolean tls = false;
        Throwable innermost = t;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            tls |= c instanceof SSLException;
            innermost = c;
        }
        return tls ? String.valueOf(innermost.getMessage()) : null;
    }

    public static void send(HttpServerResponse response, Dialect dialect, Throwable failure) {
        GatewayException e = classify(failure);
        if (response.headWritten()) { // a stream already began: nothing sensible can be added
            response.reset();
            return;
        }
        if (e.code() == ErrorCode.CAPACITY) response.putHeader("retry-after", "1");
        response.setStatusCode(e.code().httpStatus())
                .putHeader("content-type", "application/json")
                .end(ErrorBodies.json(dialect, e.code(), e.getMessage()));
    }
}
