package dev.gantry.sim;

/** The wire protocol of an endpoint: decides the shape of its error bodies and its auth header. */
enum Protocol {
    /** OpenAI and the OpenAI-compatible servers (vLLM, SGLang, Ollama, DeepSeek...). */
    OPENAI,
    /** Anthropic's Messages API. */
    ANTHROPIC
}
