package dev.gantry.server.usage;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.gantry.usage.UsageRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per data-plane request on the {@code gantry.access} logger. It names the key by
 * id, never by secret, and carries no prompt or completion text.
 */
final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("gantry.access");

    void write(UsageRecord r) {
        if (!log.isInfoEnabled()) return;
        var line = new StringBuilder(320)
                .append("{\"request_id\":\"").append(r.requestId())
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
                .append(",\"cost_usd\":").append(java.math.BigDecimal.valueOf(r.costNanos(), 9).stripTrailingZeros().toPlainString()).append('}');
        log.info(line.toString());
    }

    private static void field(StringBuilder line, String name, String value) {
        if (value == null) return;
        line.append(",\"").append(name).append("\":\"").append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
    }
}
