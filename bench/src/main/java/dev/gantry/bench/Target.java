package dev.gantry.bench;

/**
 * Where a scenario sends its requests: straight to the simulator, or through Gantry. Both get the
 * same bodies and the same {@code Authorization: Bearer} header (the simulator accepts any key),
 * so the only difference between the two paths is the gateway.
 *
 * @param name   "direct", or the name of what is measured ("Gantry", "bare proxy"), as the report shows it
 * @param host   loopback address
 * @param port   TCP port
 * @param apiKey the data-plane key sent as a Bearer token
 * @param authorization the header value carrying it, built once
 */
record Target(String name, String host, int port, String apiKey, CharSequence authorization) {
    Target(String name, String host, int port, String apiKey) {
        this(name, host, port, apiKey, io.vertx.core.http.HttpHeaders.createOptimized("Bearer " + apiKey));
    }

    String url() {
        return "http://" + host + ":" + port;
    }
}
