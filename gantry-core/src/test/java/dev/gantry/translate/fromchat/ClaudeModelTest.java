package dev.gantry.translate.fromchat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaudeModelTest {

    @ParameterizedTest
    @CsvSource({
        "claude-3-7-sonnet-20250219, 3, 7, BUDGET",
        "claude-sonnet-4-20250514, 4, 0, BUDGET",
        "claude-opus-4-1-20250805, 4, 1, BUDGET",
        "claude-sonnet-4-5@20250929, 4, 5, BUDGET",
        "claude-haiku-4-5, 4, 5, BUDGET",
        "claude-opus-4-6, 4, 6, ADAPTIVE",
        "claude-opus-4-7, 4, 7, ADAPTIVE",
        "anthropic.claude-3-5-sonnet-20241022-v2:0, 3, 5, NONE",
        "claude-3-haiku-20240307, 3, 0, NONE",
        "claude-2.1, 2, 0, NONE",
        "kimi-k2, -1, 0, NONE",
    })
    void theVersionIsReadFromTheModelId(String id, int major, int minor, ClaudeModel.Thinking thinking) {
        ClaudeModel model = ClaudeModel.of(id);
        assertThat(model).isEqualTo(new ClaudeModel(major, minor));
        assertThat(model.thinking()).isEqualTo(thinking);
    }
}
