package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With no file, or a file that says nothing, the gateway starts on port 4000 with the embedded database. */
class DefaultConfigTest {
    static final Function<String, String> NO_ENV = name -> null;

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n"})
    void emptyTextGivesTheDefaults(String text) {
        GatewayConfig config = ConfigLoader.parse(text, "empty.yaml", NO_ENV);

        assertThat(config.server().port()).isEqualTo(4000);
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.database().url()).isEqualTo("jdbc:h2:file:./data/gantry");
        assertThat(config.redisUrl()).isEmpty();
        assertThat(config.providers()).isEmpty();
        assertThat(config.catalog().all()).isEmpty();
    }

    @Test
    void defaultsEqualAnEmptyFile() {
        assertThat(ConfigLoader.defaults().server().port()).isEqualTo(4000);
        assertThat(ConfigLoader.defaults().database().url()).isEqualTo("jdbc:h2:file:./data/gantry");
    }

    @Test
    void capturedBodiesAreKeptThirtyDaysByDefault() {
        assertThat(ConfigLoader.defaults().usage().bodyRetention()).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(ConfigLoader.parse("usage: { body_retention_days: 7 }", "u.yaml", NO_ENV).usage().bodyRetention())
                .isEqualTo(java.time.Duration.ofDays(7));
    }

    @Test
    void theTransportIsPickedForTheMachineUnlessNamed() {
        assertThat(ConfigLoader.defaults().server().transport()).isEqualTo(GatewayConfig.NetworkTransport.AUTO);
        assertThat(ConfigLoader.parse("server: { transport: io_uring }", "s.yaml", NO_ENV).server().transport())
                .isEqualTo(GatewayConfig.NetworkTransport.IO_URING);
    }

    @Test
    void answersWaitForTheirUsageToBeWrittenToTheSpoolByDefault() {
        assertThat(ConfigLoader.defaults().usage().durability()).isEqualTo(GatewayConfig.UsageDurability.WRITE);
        assertThat(ConfigLoader.parse("usage: { durability: fsync }", "u.yaml", NO_ENV).usage().durability())
                .isEqualTo(GatewayConfig.UsageDurability.FSYNC);
    }

    @Test
    void sectionsGivenWithoutFieldsKeepTheirDefaults() {
        GatewayConfig config = ConfigLoader.parse("server:\n  host: 127.0.0.1\ndatabase:\n", "partial.yaml", NO_ENV);

        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(4000);
        assertThat(config.database().url()).isEqualTo("jdbc:h2:file:./data/gantry");
    }
}
