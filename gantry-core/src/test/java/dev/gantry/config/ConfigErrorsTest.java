package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * A file that cannot be used stops start-up with one {@link ConfigException} whose message names
 * the file, the line and the field: what an operator needs to fix it without reading a stack trace.
 */
class ConfigErrorsTest {
    static final Function<String, String> NO_ENV = name -> null;

    static AbstractThrowableAssert<?, ? extends Throwable> loading(String yaml) {
        return assertThatThrownBy(() -> ConfigLoader.parse(yaml, "bad.yaml", NO_ENV))
                .isExactlyInstanceOf(ConfigException.class)
                .hasNoCause()
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unknownProviderTypeListsTheSupportedTypes() {
        loading("""
                providers:
                  - name: fleet
                    type: azure
                    base_url: http://10.0.0.5/v1
                """)
                .hasMessage("bad.yaml line 3: providers[0].type: unknown provider type 'azure' (supported: openai, anthropic)");
    }

    @Test
    void aDeploymentNamingAMissingProviderListsTheDeclaredOnes() {
        loading("""
                providers:
                  - { name: fleet, type: openai, base_url: "http://10.0.0.5/v1" }
                  - { name: anthropic, type: anthropic, base_url: "https://api.anthropic.com" }
                models:
                  - name: m
                    deployments:
                      - provider: flet
                        model: x
                """)
                .hasMessage("bad.yaml line 7: models[0].deployments[0].provider: 'flet' is not a provider declared"
                        + " under providers (declared: fleet, anthropic)");
    }

    @Test
    void anUnknownTransportNamesTheOnesThereAre() {
        loading("""
                server:
                  transport: kqueue
                """)
                .hasMessage("bad.yaml line 2: server.transport: must be 'auto', 'io_uring', 'epoll' or 'nio', got 'kqueue'");
    }

    @Test
    void anUnknownUsageDurabilityNamesTheOnesThereAre() {
        loading("""
                usage:
                  durability: sometimes
                """)
                .hasMessage("bad.yaml line 2: usage.durability: must be 'write', 'fsync' or 'batched', got 'sometimes'");
    }

    @Test
    void aBodyRetentionOfNoDaysIsRefused() {
        loading("""
                usage:
                  body_retention_days: 0
                """)
                .hasMessageStartingWith("bad.yaml line 2: usage.body_retention_days: ");
    }

    @Test
    void aDeploymentWithNoProvidersDeclaredSaysSo() {
        loading("""
                models:
                  - name: m
                    deployments: [ { provider: fleet, model: x } ]
                """)
                .hasMessageStartingWith("bad.yaml line 3: models[0].deployments[0].provider: 'fleet' is not a provider")
                .hasMessageEndingWith("(none is declared)");
    }

    @Test
    void aWrongTypeNamesTheFieldAndTheExpectedKind() {
        loading("""
                server:
                  host: 0.0.0.0
                  port: abc
                """)
                .hasMessage("bad.yaml line 3: server.port: expected a whole number, got 'abc'");
    }

    @Test
    void aMappingWhereAListIsExpected() {
        loading("""
                providers:
                  name: fleet
                """)
                .hasMessageStartingWith("bad.yaml line 2: providers: expected a list");
    }

    @Test
    void anUnknownFieldNamesItsParentAndTheKnownFields() {
        loading("""
                providers:
                  - name: fleet
                    type: openai
                    base_ur: http://10.0.0.5/v1
                """)
                .hasMessageStartingWith("bad.yaml line 4: unknown field 'base_ur' in providers[0] (known: ")
                .hasMessageContaining("base_url")
                .hasMessageContaining("api_key");
    }

    @Test
    void anUnknownTopLevelField() {
        loading("""
                server: { port: 4000 }
                modles: []
                """)
                .hasMessageStartingWith("bad.yaml line 2: unknown field 'modles' in top level (known: ")
                .hasMessageContaining("models");
    }

    @Test
    void aModelDeclaredTwice() {
        loading("""
                providers:
                  - { name: fleet, type: openai, base_url: "http://10.0.0.5/v1" }
                models:
                  - name: qwen
                    deployments: [ { provider: fleet, model: a } ]
                  - name: qwen
                    deployments: [ { provider: fleet, model: b } ]
                """)
                .hasMessage("bad.yaml line 6: models[1].name: model 'qwen' is declared twice");
    }

    @Test
    void aProviderDeclaredTwice() {
        loading("""
                providers:
                  - { name: fleet, type: openai, base_url: "http://10.0.0.5/v1" }
                  - { name: fleet, type: openai, base_url: "http://10.0.0.6/v1" }
                """)
                .hasMessage("bad.yaml line 3: providers[1].name: provider 'fleet' is declared twice");
    }

    @Test
    void malformedYamlGivesTheLineOfTheProblem() {
        loading("""
                server:
                  port: 4000
                providers:
                  - { name: fleet, type: openai
                models: []
                """)
                .hasMessageStartingWith("bad.yaml line 5: not valid YAML: ")
                .hasMessageEndingWith("(while parsing a flow mapping that starts on line 4)");
    }

    @Test
    void aTabIndentIsMalformedYaml() {
        loading("server:\n\tport: 4000\n")
                .hasMessageStartingWith("bad.yaml line 2: not valid YAML: ")
                .hasMessageContaining("TAB");
    }

    @Test
    void aBaseUrlThatIsNotAUrl() {
        loading("""
                providers:
                  - name: fleet
                    type: openai
                    base_url: "http://host name/v1"
                """)
                .hasMessage("bad.yaml line 4: providers[0].base_url: is not a valid URL: 'http://host name/v1'");
    }

    @Test
    void aBaseUrlThatIsNotHttp() {
        loading("""
                providers:
                  - name: fleet
                    type: openai
                    base_url: ftp://10.0.0.5/v1
                """)
                .hasMessage("bad.yaml line 4: providers[0].base_url: must be an http:// or https:// URL, got 'ftp://10.0.0.5/v1'");
    }

    @Test
    void aBaseUrlWithoutAHost() {
        loading("""
                providers:
                  - name: fleet
                    type: openai
                    base_url: /v1
                """)
                .hasMessage("bad.yaml line 4: providers[0].base_url: must be an http:// or https:// URL, got '/v1'");
    }

    @Test
    void aNegativePrice() {
        loading("""
                providers:
                  - { name: fleet, type: openai, base_url: "http://10.0.0.5/v1" }
                models:
                  - name: qwen
                    deployments: [ { provider: fleet, model: a } ]
                    price:
                      input_per_mtok: 0.2
                      output_per_mtok: -0.5
                """)
                .hasMessage("bad.yaml line 8: models[0].price.output_per_mtok: a price cannot be negative");
    }

    @Test
    void aMissingRequiredFieldPointsAtItsParent() {
        loading("""
                providers:
                  - name: fleet
                    base_url: http://10.0.0.5/v1
                """)
                .hasMessage("bad.yaml line 2: providers[0].type: is required");
    }

    @Test
    void aModelWithoutDeployments() {
        loading("""
                models:
                  - name: lonely
                """)
                .hasMessage("bad.yaml line 2: models[0].deployments: model 'lonely' needs at least one deployment");
    }

    @Test
    void aPortOutOfRange() {
        loading("""
                server:
                  port: 70000
                """)
                .hasMessage("bad.yaml line 2: server.port: must be between 0 and 65535, got 70000");
    }

    @Test
    void aDatabaseUrlOfAnotherKind() {
        loading("""
                database:
                  url: jdbc:mysql://db/gantry
                """)
                .hasMessage("bad.yaml line 2: database.url: must be a jdbc:h2: or jdbc:postgresql: URL, got 'jdbc:mysql://db/gantry'");
    }

    @Test
    void anAliasThatIsAModelName() {
        loading("""
                providers:
                  - { name: fleet, type: openai, base_url: "http://10.0.0.5/v1" }
                models:
                  - name: a
                    deployments: [ { provider: fleet, model: a } ]
                  - name: b
                    aliases: [ x, a ]
                    deployments: [ { provider: fleet, model: b } ]
                """)
                .hasMessage("bad.yaml line 7: models[1].aliases[1]: 'a' is already the name of a model");
    }
}
