package dev.gantry.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void costIsPrintedAsBigDecimalWouldPrintIt() {
        long[] edges = {0, 1, 9, 10, 100_000_000, 999_999_999, 1_000_000_000, 1_000_000_001, 1_230_000_000, 2_660,
                Long.MAX_VALUE, -1, -1_500_000_000};
        var random = new Random(7);
        for (int i = 0; i < 10_000 + edges.length; i++) {
            long nanos = i < edges.length ? edges[i] : random.nextLong(20_000_000_000L);
            var printed = new StringBuilder();
            AccessLog.usd(printed, nanos);
            assertThat(printed.toString()).as("%d nano-dollars", nanos)
                    .isEqualTo(BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString());
        }
    }

    @Test
    void eachLineIsOneJsonObjectWhateverTheModelNameHolds() throws Exception {
        String odd = "my \"model\"\n\\ with\ttabs and ünïcode";
        var record = new UsageRecord("req_1", Instant.parse("2026-12-07T01:02:03.456Z"), "key_1", null, null,
                "/v1/chat/completions", odd, "served", "prov/m", new TokenUsage(12, 34, 5, false), 2_660, 200,
                Outcome.OK, 64, 63, true);
        var line = new StringBuilder();
        AccessLog.line(line, record);

        JsonNode parsed = JSON.readTree(line.toString());
        assertThat(parsed.path("model").asText()).isEqualTo(odd);
        assertThat(parsed.path("served_model").asText()).isEqualTo("served");
        assertThat(parsed.path("cost_usd").decimalValue()).isEqualByComparingTo("0.00000266");
        assertThat(parsed.path("ts").asText()).isEqualTo("2026-12-07T01:02:03.456Z");
        assertThat(parsed.path("input_tokens").asLong()).isEqualTo(12);
        assertThat(parsed.has("user_id")).isFalse();
        assertThat(line.toString()).doesNotContain("\n");
    }
}
