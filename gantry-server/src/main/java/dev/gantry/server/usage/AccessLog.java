package dev.gantry.server.usage;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.gantry.usage.UsageRecord;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per data-plane request on the {@code gantry.access} logger. It names the key by
 * id, never by secret, and carries no prompt or completion text.
 *
 * <p>A batch of requests goes out as one log event holding one line each, so that the log costs
 * one write to stdout per batch instead of one per request (a write per request was a tenth of the
 * gateway's CPU at saturation). For that, {@code logback.xml} gives this logger its own appender
 * that prints the message alone, and each line carries its own time.
 */
final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("gantry.access");

    void write(List<UsageRecord> records) {
        if (records.isEmpty() || !log.isInfoEnabled()) return;
        var lines = new StringBuilder(360 * records.size());
        for (UsageRecord r : records) {
            if (!lines.isEmpty()) lines.append('\n');
            line(lines, r);
        }
        log.info(lines.toString());
    }

    static void line(StringBuilder line, UsageRecord r) {
        line.append("{\"ts\":\"").append(r.timestamp())
                .append("\",\"request_id\":\"").append(r.requestId())
                .append("\",\"endpoint\":\"").append(r.endpoint()).append('"');
        field(line, "key_id", r.keyId());
        field(line, "model", r.model());
        field(line, "served_model", r.servedModel());
        field(line, "deployment", r.deployment());
        line.append(",\"status\":").append(r.httpStatus())
                .append(",\"outcome\":\"").append(r.outcome().dbName())
                .append("\",\"stream\":").append(r.stream())
                .append(",\"latency_ms\":").append(r.latencyMillis());
        if (r.ttftMillis() >= 0) line.append(",\"ttft_ms\":").append(r.ttftMillis());
        line.append(",\"input_tokens\":").append(r.usage().inputTokens())
                .append(",\"output_tokens\":").append(r.usage().outputTokens())
                .append(",\"cached_input_tokens\":").append(r.usage().cachedInputTokens())
                .append(",\"estimated\":").append(r.usage().estimated())
                .append(",\"cost_usd\":");
        usd(line, r.costNanos());
        line.append('}');
    }

    /** Nano-dollars as a plain decimal without trailing zeros (what BigDecimal would print, without making one per line). */
    static void usd(StringBuilder line, long nanos) {
        if (nanos < 0) {
            line.append('-');
            nanos = -nanos;
        }
        line.append(nanos / 1_000_000_000L);
        long fraction = nanos % 1_000_000_000L;
        if (fraction == 0) return;
        int digits = 9;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        line.append('.');
        for (int width = Long.toString(fraction).length(); width < digits; width++) line.append('0');
        line.append(fraction);
    }

    private static void field(StringBuilder line, String name, String value) {
        if (value == null) return;
        line.append(",\"").append(name).append("\":\"");
        if (needsEscaping(value)) line.append(JsonStringEncoder.getInstance().quoteAsString(value));
        else line.append(value);
        line.append('"');
    }

    /** Names from the catalog and ids seldom need it; a client-chosen model name may. */
    private static boolean needsEscaping(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) return true;
        }
        return false;
    }
}
