package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.Model;
import dev.gantry.catalog.Price;
import dev.gantry.catalog.Provider;
import dev.gantry.catalog.ProviderType;
import dev.gantry.catalog.Timeouts;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration shown in DESIGN.md is what users copy first: it must load as written. */
class DesignExampleConfigTest {
    /** Verbatim from DESIGN.md, "Configuration". */
    static final String DESIGN_EXAMPLE = """
            server:   { port: 4000 }
            database: { url: "jdbc:h2:file:./data/gantry" }   # or jdbc:postgresql://host/db
            redis:    { url: "redis://127.0.0.1:6379" }        # optional: shared counters for several replicas
            providers:
              - name: fleet            # your own vLLM / SGLang / Ollama servers speak the OpenAI protocol
                type: openai           # openai | anthropic | azure | gemini ...
                base_url: http://10.0.0.5:8000/v1
                api_key: ${FLEET_KEY}
              - name: anthropic
                type: anthropic
                base_url: https://api.anthropic.com
                api_key: ${ANTHROPIC_API_KEY}
            models:
              - name: deepseek-v4-flash          # the name clients ask for
                deployments:                     # one or more places that serve it
                  - { provider: fleet, model: deepseek-ai/DeepSeek-V4-Flash }
                price: { input_per_mtok: 0.14, output_per_mtok: 0.28 }   # USD per million tokens
              - name: claude-sonnet
                deployments: [ { provider: anthropic, model: claude-sonnet-4-5 } ]
            """;

    static final Map<String, String> ENV = Map.of("FLEET_KEY", "fleet-secret", "ANTHROPIC_API_KEY", "sk-ant-secret");

    final GatewayConfig config = ConfigLoader.parse(DESIGN_EXAMPLE, "design.yaml", ENV::get);

    @Test
    void serverDatabaseAndRedisSettingsAreRead() {
        assertThat(config.server().port()).isEqualTo(4000);
        assertThat(config.database().url()).isEqualTo("jdbc:h2:file:./data/gantry");
        assertThat(config.redisUrl()).contains("redis://127.0.0.1:6379");
    }

    @Test
    void providersKeepTheirOrderTypeUrlAndInterpolatedKey() {
        assertThat(config.providers()).extracting(Provider::name).containsExactly("fleet", "anthropic");

        Provider fleet = config.providers().get(0);
        assertThat(fleet.type()).isEqualTo(ProviderType.OPENAI);
        assertThat(fleet.baseUrl()).isEqualTo(URI.create("http://10.0.0.5:8000/v1"));
        assertThat(fleet.apiKey().value()).isEqualTo("fleet-secret");
        assertThat(fleet.headers()).isEmpty();
        assertThat(fleet.timeouts()).isEqualTo(Timeouts.DEFAULT);
        assertThat(fleet.servesResponsesApi()).isFalse();

        Provider anthropic = config.providers().get(1);
        assertThat(anthropic.type()).isEqualTo(ProviderType.ANTHROPIC);
        assertThat(anthropic.baseUrl()).isEqualTo(URI.create("https://api.anthropic.com"));
        assertThat(anthropic.apiKey().value()).isEqualTo("sk-ant-secret");
    }

    @Test
    void modelsPointAtTheirDeployments() {
        assertThat(config.catalog().all()).extracting(Model::name).containsExactly("deepseek-v4-flash", "claude-sonnet");

        Model flash = config.catalog().find("deepseek-v4-flash").orElseThrow();
        assertThat(flash.deployments()).singleElement().satisfies(d -> {
            assertThat(d.provider()).isSameAs(config.providers().get(0));
            assertThat(d.upstreamModel()).isEqualTo("deepseek-ai/DeepSeek-V4-Flash");
            assertThat(d.id()).isEqualTo("fleet/deepseek-ai/DeepSeek-V4-Flash");
        });

        Model sonnet = config.catalog().find("claude-sonnet").orElseThrow();
        assertThat(sonnet.deployments()).singleElement().satisfies(d -> {
            assertThat(d.provider().name()).isEqualTo("anthropic");
            assertThat(d.upstreamModel()).isEqualTo("claude-sonnet-4-5");
        });
    }

    @Test
    void pricesAreMicroDollarsPerMillionTokens() {
        Model flash = config.catalog().find("deepseek-v4-flash").orElseThrow();
        // cached input defaults to the input price when the file does not give one
        assertThat(flash.price()).isEqualTo(new Price(140_000, 280_000, 140_000));

        assertThat(config.catalog().find("claude-sonnet").orElseThrow().price()).isEqualTo(Price.FREE);
    }

    @Test
    void secretsDoNotShowInToString() {
        assertThat(config.providers().toString()).doesNotContain("fleet-secret", "sk-ant-secret");
    }
}
