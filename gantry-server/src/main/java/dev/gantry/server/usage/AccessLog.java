package dev.gantry.server.usage;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.gantry.usage.UsageRecord;
import java.math.BigDecimal;
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

    private static void line(StringBuilder line, UsageRecord r) {
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
                .append(",\"cost_usd\":").append(BigDecimal.valueOf(r.costNanos(), 9).stripTrailingZeros().toPlainString()).append('}');
    }

    private static void field(StringBuilder line, String name, String value) {
        if (value == null) return;
        line.append(",\"").append(name).append("\":\"").append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
    }
}
