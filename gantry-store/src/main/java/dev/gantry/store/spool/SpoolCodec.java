package dev.gantry.store.spool;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;

/** One usage record as one line of JSON in the spool. */
final class SpoolCodec {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();

    private SpoolCodec() {}

    static byte[] encode(UsageRecord r) {
        var out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", r.requestId());
            g.writeStringField("ts", r.timestamp().toString());
            g.writeStringField("key", r.keyId());
            if (r.userId() != null) g.writeStringField("user", r.userId());
            if (r.teamId() != null) g.writeStringField("team", r.teamId());
            g.writeStringField("endpoint", r.endpoint());
            g.writeStringField("model", r.model());
            g.writeStringField("served", r.servedModel());
            g.writeStringField("deployment", r.deployment());
            g.writeNumberField("in", r.usage().inputTokens());
            g.writeNumberField("out", r.usage().outputTokens());
            g.writeNumberField("cached", r.usage().cachedInputTokens());
            g.writeBooleanField("est", r.usage().estimated());
            g.writeNumberField("cost", r.costNanos());
            g.writeNumberField("status", r.httpStatus());
            g.writeStringField("outcome", r.outcome().dbName());
            g.writeNumberField("latency", r.latencyMillis());
            g.writeNumberField("ttft", r.ttftMillis());
            g.writeBooleanField("stream", r.stream());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** The record of one line, or null for a line that is not whole (the tail of a crashed write). */
    static UsageRecord decode(String line) {
        try {
            JsonNode n = TREE.readTree(line);
            if (n == null || !n.has("stream")) return null;
            return new UsageRecord(n.path("id").asText(), Instant.parse(n.path("ts").asText()), text(n, "key"),
                    text(n, "user"), text(n, "team"), n.path("endpoint").asText(), text(n, "model"), text(n, "served"),
                    text(n, "deployment"),
                    new TokenUsage(n.path("in").asLong(), n.path("out").asLong(), n.path("cached").asLong(), n.path("est").asBoolean()),
                    n.path("cost").asLong(), n.path("status").asInt(),
                    Outcome.valueOf(n.path("outcome").asText().toUpperCase(Locale.ROOT)), n.path("latency").asLong(),
                    n.path("ttft").asLong(), n.path("stream").asBoolean());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
