package dev.gantry.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Talks JSON to a gateway's admin API ({@code /api/v1}) with one key. Every failure, an error
 * answer or a gateway that cannot be reached, becomes an {@link AdminException} whose message says
 * what went wrong; the key itself never appears in a message.
 */
final class AdminClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String key;
    private final Duration timeout;
    private final HttpClient http;

    /** @param baseUrl the gateway's address without a trailing slash, e.g. {@code http://127.0.0.1:4000} */
    AdminClient(String baseUrl, String key, Duration timeout) {
        this.baseUrl = baseUrl;
        this.key = key;
        this.timeout = timeout;
        // HTTP/1.1: over plain http the client would otherwise ask every request for an h2c upgrade
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    JsonNode get(String path, Query query) {
        return send("GET", path + query, null);
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    JsonNode patch(String path, JsonNode body) {
        return send("PATCH", path, body);
    }

    JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** @return the answer's JSON, or a missing node when the answer has no body */
    private JsonNode send(String method, String path, JsonNode body) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1" + path)).timeout(timeout)
                .header("authorization", "Bearer " + key).header("accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) request.header("content-type", "application/json");
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AdminException(unreachable(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted while waiting for the gateway at " + baseUrl);
        }
        if (response.statusCode() >= 400) throw new AdminException(ApiErrors.describe(response.statusCode(), response.body()));
        if (response.body().isBlank()) return MissingNode.getInstance();
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AdminException("the gateway at " + baseUrl + " answered with something that is not JSON"
                    + " (is --url the gateway's address?)");
        }
    }

    private String unreachable(IOException e) {
        // HttpClient wraps the cause of a failed connection; the innermost exception names it
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof ConnectException)) cause = cause.getCause();
        if (e instanceof HttpConnectTimeoutException) {
            return "cannot reach the gateway at " + baseUrl + ": no connection within " + timeout.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "the gateway at " + baseUrl + " did not answer within " + timeout.toSeconds() + " s (--timeout)";
        }
        String reason = cause instanceof ConnectException ? "connection refused"
                : cause instanceof UnknownHostException ? "unknown host"
                : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return "cannot reach the gateway at " + baseUrl + " (" + reason + "); is it running? Set --url or GANTRY_URL.";
    }

    @Override
    public void close() {
        http.close();
    }
}
