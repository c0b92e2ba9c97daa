package dev.gantry.server.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.IntSupplier;

/**
 * The console's way to the admin API: plain HTTP over loopback, as the browser's session. The
 * console is one more client of the API, like the CLI, so every rule of who may see and change
 * what lives in one place, the API, and the console cannot drift from it.
 */
final class AdminApiClient {
    private final HttpClient http;
    private final String host;
    private final IntSupplier port;

    AdminApiClient(Vertx vertx, String host, IntSupplier port) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
        this.host = host;
        this.port = port;
    }

    Future<ApiAnswer> get(Visit visit, String uri) { return call(visit, HttpMethod.GET, uri, null); }

    Future<ApiAnswer> call(Visit visit, HttpMethod method, String uri, JsonObject body) {
        var options = new RequestOptions().setMethod(method).setHost(host).setPort(port.getAsInt()).setURI(uri)
                .putHeader("x-gantry-session", visit.token())
                .putHeader("x-gantry-client", visit.address() + " " + visit.addressProof())
                .putHeader("accept", "application/json");
        if (body != null) options.putHeader("content-type", "application/json");
        return http.request(options)
                .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
                .compose(response -> response.body().map(bytes -> ApiAnswer.of(response.statusCode(), bytes)));
    }

    /** What the API answered: its status and JSON body (an error's body is OpenAI's error shape). */
    record ApiAnswer(int status, JsonObject body) {
        static ApiAnswer of(int status, Buffer bytes) {
            JsonObject json;
            try {
                json = bytes.length() == 0 ? new JsonObject() : new JsonObject(bytes);
            } catch (RuntimeException e) {
                json = new JsonObject().put("error", new JsonObject().put("message", bytes.toString()));
            }
            return new ApiAnswer(status, json);
        }

        boolean ok() { return status >= 200 && status < 300; }

        String errorMessage() {
            JsonObject error = body.getJsonObject("error");
            return error == null ? "The admin API answered " + status + "." : error.getString("message", "Error " + status);
        }
    }
}
