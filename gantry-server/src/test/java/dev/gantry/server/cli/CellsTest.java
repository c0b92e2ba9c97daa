package dev.gantry.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CellsTest {
    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void dollarsShowCentsAndAmountsBelowACentKeepTheirDigits() {
        assertThat(Cells.usd(new BigDecimal("12.5"))).isEqualTo("$12.50");
        assertThat(Cells.usd(new BigDecimal("1000"))).isEqualTo("$1000.00");
        assertThat(Cells.usd(new BigDecimal("0.000420"))).isEqualTo("$0.00042");
        assertThat(Cells.usd(BigDecimal.ZERO)).isEqualTo("$0.00");
    }

    @Test
    void budgetJoinsWhatIsSetWithItsPeriod() throws Exception {
        assertThat(Cells.budget(json("{\"budget_usd\":12.5,\"budget_tokens\":1000,\"budget_period\":\"week\"}")))
                .isEqualTo("$12.50 + 1000 tok / week");
        assertThat(Cells.budget(json("{\"budget_usd\":null,\"budget_tokens\":null,\"budget_period\":\"month\"}"))).isNull();
    }

    @Test
    void limitsListOnlyTheLimitsSet() throws Exception {
        assertThat(Cells.limits(json("{\"rpm\":60,\"tpm\":null,\"max_parallel\":4}"))).isEqualTo("rpm 60, parallel 4");
        assertThat(Cells.limits(json("{\"name\":\"x\"}"))).isNull();
    }

    @Test
    void timesAreCutToTheSecondAndListsJoined() throws Exception {
        JsonNode key = json("{\"created_at\":\"2026-11-22T07:34:28.999476577Z\",\"models\":[\"a-*\",\"b\"],\"team_id\":null}");
        assertThat(Cells.time(key, "created_at")).isEqualTo("2026-11-22 07:34:28Z");
        assertThat(Cells.text(key, "models")).isEqualTo("a-*,b");
        assertThat(Cells.text(key, "team_id")).isNull();
        assertThat(Cells.text(key, "absent")).isNull();
    }
}
