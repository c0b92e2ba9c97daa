package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ${VAR}} references in the configuration text are replaced before it is parsed. */
class EnvInterpolationTest {
    static final Map<String, String> ENV = Map.of("KEY", "k-123", "HOST", "10.1.2.3", "EMPTY", "");

    static String apiKeyOf(String apiKeyLine) {
        String yaml = """
                providers:
                  - name: p
                    type: openai
                    base_url: http://h/v1
                """ + "    " + apiKeyLine + "\n";
        return ConfigLoader.parse(yaml, "env.yaml", ENV::get).providers().get(0).apiKey().value();
    }

    @Test
    void aSetVariableIsReplacedByItsValue() {
        assertThat(apiKeyOf("api_key: ${KEY}")).isEqualTo("k-123");
    }

    @Test
    void aVariableCanBePartOfALongerValue() {
        assertThat(apiKeyOf("api_key: \"pre-${KEY}-post\"")).isEqualTo("pre-k-123-post");
    }

    @Test
    void theDefaultIsUsedWhenTheVariableIsUnset() {
        assertThat(apiKeyOf("api_key: ${UNSET:-fallback}")).isEqualTo("fallback");
    }

    @Test
    void theDefaultIsUsedWhenTheVariableIsEmpty() {
        assertThat(apiKeyOf("api_key: ${EMPTY:-fallback}")).isEqualTo("fallback");
    }

    @Test
    void theValueWinsOverTheDefaultWhenTheVariableIsSet() {
        assertThat(apiKeyOf("api_key: ${KEY:-fallback}")).isEqualTo("k-123");
    }

    @Test
    void anEmptyDefaultIsAllowed() {
        assertThat(apiKeyOf("api_key: \"${UNSET:-}\"")).isEmpty();
    }

    @Test
    void aDoubledDollarIsALiteralReference() {
        assertThat(apiKeyOf("api_key: \"$${KEY}\"")).isEqualTo("${KEY}");
        assertThat(apiKeyOf("api_key: \"$${UNSET:-x}\"")).isEqualTo("${UNSET:-x}");
    }

    @Test
    void variablesInsideAUrlAreReplaced() {
        String yaml = """
                providers:
                  - { name: p, type: openai, base_url: "http://${HOST}:8000/v1" }
                """;
        var config = ConfigLoader.parse(yaml, "env.yaml", ENV::get);

        assertThat(config.providers().get(0).baseUrl().getHost()).isEqualTo("10.1.2.3");
    }

    @Test
    void referencesInCommentsAreIgnored() {
        String yaml = """
                # api_key: ${UNSET_IN_WHOLE_LINE_COMMENT}
                server:
                  port: 4100   # was ${UNSET_IN_TRAILING_COMMENT}
                  #host: ${UNSET_IN_INDENTED_COMMENT}
                """;
        var config = ConfigLoader.parse(yaml, "env.yaml", ENV::get);

        assertThat(config.server().port()).isEqualTo(4100);
    }

    @Test
    void aHashInsideQuotesDoesNotStartAComment() {
        assertThat(apiKeyOf("api_key: \"a #${KEY}\"")).isEqualTo("a #k-123");
    }

    @Test
    void anApostropheInAPlainValueDoesNotHideAFollowingComment() {
        String yaml = """
                providers:
                  - name: bob's-fleet   # its key: ${UNSET_IN_COMMENT}
                    type: openai
                    base_url: http://h/v1
                """;
        var config = ConfigLoader.parse(yaml, "env.yaml", ENV::get);

        assertThat(config.providers().get(0).name()).isEqualTo("bob's-fleet");
    }

    @Test
    void anUnsetVariableNamesTheSourceLineFieldAndVariable() {
        String yaml = """
                providers:
                  - name: fleet
                    type: openai
                    base_url: http://h/v1
                    api_key: ${FLEET_KEY}
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gantry.yaml", ENV::get))
                .isExactlyInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gantry.yaml line 5: api_key: ")
                .hasMessageContaining("environment variable FLEET_KEY is not set")
                .hasMessageContaining("${FLEET_KEY:-default}");
    }

    @Test
    void anUnsetVariableInAFlowMappingNamesItsOwnField() {
        String yaml = """
                providers:
                  - { name: fleet, type: openai, base_url: "http://${UNSET_HOST}/v1", api_key: x }
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "gantry.yaml", ENV::get))
                .isExactlyInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gantry.yaml line 2: base_url: ")
                .hasMessageContaining("environment variable UNSET_HOST is not set");
    }
}
