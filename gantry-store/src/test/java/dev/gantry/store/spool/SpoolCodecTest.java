package dev.gantry.store.spool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.TokenUsage;
import dev.gantry.usage.UsageRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A spool line says everything a usage record holds, whatever text a client put in it. */
class SpoolCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static UsageRecord record(String id, Instant at, String keyId, String userId, String teamId, String model,
            TokenUsage usage, long cost, Outcome outcome, long ttft, boolean stream) {
        return new UsageRecord(id, at, keyId, userId, teamId, "chat_completions", model, model == null ? null : "served " + model,
                model == null ? null : "fleet/" + model, usage, cost, 200, outcome, 1_250, ttft, stream);
    }

    private static final List<UsageRecord> RECORDS = List.of(
            record("req_0193a1b2c3d4e5f60718293a", Instant.parse("2026-12-07T10:00:00.123456789Z"), "key-1", "user-1", "team-1",
                    "qwen3-coder", new TokenUsage(1_069, 50, 0, false), 1_234_567, Outcome.OK, 40, true),
            record("req-2", Instant.parse("1999-12-31T23:59:59Z"), null, null, null, null,
                    new TokenUsage(0, 0, 0, true), 0, Outcome.ERROR, -1, false),
            record("req-3", Instant.parse("2026-01-01T00:00:00.000001Z"), "key-\"quoted\"", "user\\back", "team\ttab",
                    "модель-ü \u0001 🚀 \"</script>", new TokenUsage(Long.MAX_VALUE, 7, 3, false), Long.MIN_VALUE,
                    Outcome.CANCELLED, 0, true));

    @Test
    void everyRecordReadsBackAsItWasWritten() {
        for (UsageRecord r : RECORDS) assertThat(SpoolCodec.decode(text(UsageSpoolTest.line(r)))).isEqualTo(r);
    }

    @Test
    void eachLineIsOneJsonObjectEndingInANewline() throws Exception {
        var lines = UsageSpoolTest.lines(RECORDS);
        String all = new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);

        String[] split = all.split("\n", -1);
        assertThat(split).hasSize(RECORDS.size() + 1);
        assertThat(split[RECORDS.size()]).isEmpty();
        for (int i = 0; i < RECORDS.size(); i++) {
            JsonNode n = JSON.readTree(split[i]);
            assertThat(n.path("id").asText()).isEqualTo(RECORDS.get(i).requestId());
            assertThat(n.path("model").isNull() ? null : n.path("model").asText()).isEqualTo(RECORDS.get(i).model());
            assertThat(lines.end(i)).isEqualTo(String.join("\n", Arrays.copyOf(split, i + 1)).getBytes(StandardCharsets.UTF_8).length + 1);
        }
    }

    @Test
    void linesWrittenBeforeTheTimeWasANumberStillRead() {
        String earlier = "{\"id\":\"req-old\",\"ts\":\"2025-06-01T10:00:00.250Z\",\"key\":\"key-1\",\"endpoint\":\"chat_completions\","
                + "\"model\":\"m\",\"served\":\"m\",\"deployment\":\"fleet/m\",\"in\":100,\"out\":20,\"cached\":5,\"est\":false,"
                + "\"cost\":1234,\"status\":200,\"outcome\":\"ok\",\"latency\":250,\"ttft\":40,\"stream\":true}";

        assertThat(SpoolCodec.decode(earlier)).isEqualTo(new UsageRecord("req-old", Instant.parse("2025-06-01T10:00:00.250Z"),
                "key-1", "chat_completions", "m", "m", "fleet/m", new TokenUsage(100, 20, 5, false), 1_234, 200, Outcome.OK, 250,
                40, true));
    }

    private static String text(byte[] line) {
        return new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
    }
}
