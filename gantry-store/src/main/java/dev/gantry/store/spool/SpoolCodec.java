package dev.gantry.store.spool;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/** One usage record as one line of JSON in the spool. */
final class SpoolCodec {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final ObjectMapper TREE = new ObjectMapper();

    private SpoolCodec() {}

    /**
     * Writes the record as one line. Written by hand rather than with a Jackson generator: every
     * answer's record is encoded on its event loop, and the generator and {@code Instant.toString}
     * were most of that cost. The time is written as nanoseconds since the epoch; {@link #decode}
     * also reads the ISO-8601 text of lines written before.
     */
    static void encode(UsageRecord r, SpoolLines out) {
        out.putAscii("{\"id\":");
        string(out, r.requestId());
        out.putAscii(",\"ts\":");
        out.putLong(r.timestamp().getEpochSecond() * NANOS_PER_SECOND + r.timestamp().getNano()); // a long holds them until 2262
        out.putAscii(",\"key\":");
        string(out, r.keyId());
        if (r.userId() != null) {
            out.putAscii(",\"user\":");
            string(out, r.userId());
        }
        if (r.teamId() != null) {
            out.putAscii(",\"team\":");
            string(out, r.teamId());
        }
        out.putAscii(",\"endpoint\":");
        string(out, r.endpoint());
        out.putAscii(",\"model\":");
        string(out, r.model());
        out.putAscii(",\"served\":");
        string(out, r.servedModel());
        out.putAscii(",\"deployment\":");
        string(out, r.deployment());
        out.putAscii(",\"in\":");
        out.putLong(r.usage().inputTokens());
        out.putAscii(",\"out\":");
        out.putLong(r.usage().outputTokens());
        out.putAscii(",\"cached\":");
        out.putLong(r.usage().cachedInputTokens());
        out.putAscii(r.usage().estimated() ? ",\"est\":true,\"cost\":" : ",\"est\":false,\"cost\":");
        out.putLong(r.costNanos());
        out.putAscii(",\"status\":");
        out.putLong(r.httpStatus());
        out.putAscii(",\"outcome\":");
        string(out, r.outcome().dbName());
        out.putAscii(",\"latency\":");
        out.putLong(r.latencyMillis());
        out.putAscii(",\"ttft\":");
        out.putLong(r.ttftMillis());
        out.putAscii(r.stream() ? ",\"stream\":true}\n" : ",\"stream\":false}\n");
    }

    /** A JSON string; text that needs escaping or is not ASCII goes through Jackson's encoder. */
    private static void string(SpoolLines out, String s) {
        if (s == null) {
            out.putAscii("null");
            return;
        }
        out.put((byte) '"');
        if (isPlainAscii(s)) out.putAscii(s);
        else out.put(JsonStringEncoder.getInstance().quoteAsUTF8(s));
        out.put((byte) '"');
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
        }
        return true;
    }

    /** The record of one line, or null for a line that is not whole (the tail of a crashed write). */
    static UsageRecord decode(String line) {
        try {
            JsonNode n = TREE.readTree(line);
            if (n == null || !n.has("stream")) return null;
            return new UsageRecord(n.path("id").asText(), timestamp(n.path("ts")), text(n, "key"),
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

    private static Instant timestamp(JsonNode ts) {
        return ts.isIntegralNumber() ? Instant.ofEpochSecond(0, ts.asLong()) : Instant.parse(ts.asText());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
