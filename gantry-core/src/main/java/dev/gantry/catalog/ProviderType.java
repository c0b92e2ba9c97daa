package dev.gantry.catalog;

import java.util.Arrays;
import java.util.Optional;

/** The wire protocol an upstream provider speaks. */
public enum ProviderType {
    /** Any OpenAI-compatible server: OpenAI, vLLM, SGLang, Ollama, llama.cpp, DeepSeek, OpenRouter... */
    OPENAI("openai"),
    /** Anthropic's Messages API. */
    ANTHROPIC("anthropic");

    private final String configName;

    ProviderType(String configName) { this.configName = configName; }

    public String configName() { return configName; }

    public static Optional<ProviderType> fromConfigName(String name) {
        return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
    }

    public static String supportedNames() {
        return String.join(", ", Arrays.stream(values()).map(ProviderType::configName).toList());
    }
}
