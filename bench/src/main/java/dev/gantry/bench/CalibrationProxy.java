package dev.gantry.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;

/**
 * What the two calibration proxies ({@link BareProxy} on Vert.x, {@link NettyBareProxy} on Netty
 * alone) share: their command line ({@code --upstream http://127.0.0.1:PORT --key KEY [--port N]
 * [--event-loops N]}), Netty set up as {@code gantry serve} sets it up, and the one look a proxy
 * takes into a request body.
 */
record CalibrationProxy(URI upstream, String key, int port, int loops) {
    private static final JsonFactory JSON = new JsonFactory();

    static CalibrationProxy fromArgs(String[] args) throws IOException {
        // so that a calibration compares like with like
        if (System.getProperty("io.netty.buffer.checkAccessible") == null) System.setProperty("io.netty.buffer.checkAccessible", "false");
        if (System.getProperty("io.netty.allocator.type") == null) System.setProperty("io.netty.allocator.type", "pooled");
        URI upstream = null;
        String key = null;
        int port = 0;
        int loops = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--upstream" -> upstream = URI.create(args[i + 1]);
                case "--key" -> key = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--event-loops" -> loops = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (upstream == null || key == null) throw new IllegalArgumentException("--upstream and --key are required");
        if (port == 0) {
            try (var s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
        }
        return new CalibrationProxy(upstream, key, port, loops);
    }

    /** Reads {@code model} and {@code stream} with Jackson's streaming parser, as Gantry does; true for a stream. */
    static boolean isStream(byte[] body) throws IOException {
        boolean stream = false;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    if (name.equals("stream")) stream = t == JsonToken.VALUE_TRUE;
                    else if (name.equals("model")) p.getText();
                    else p.skipChildren();
                }
            }
        }
        return stream;
    }

    /** Prints the line bench/run waits for. */
    void listening(String transport) {
        System.out.println("bare proxy listening on " + port + ", transport " + transport);
        System.out.flush();
    }
}
