package dev.gantry.protocol;

/** The data-plane operations the gateway serves, each with the dialect its clients speak. */
public enum Endpoint {
    CHAT_COMPLETIONS(Dialect.OPENAI, "/v1/chat/completions"),
    RESPONSES(Dialect.OPENAI, "/v1/responses"),
    EMBEDDINGS(Dialect.OPENAI, "/v1/embeddings"),
    MESSAGES(Dialect.ANTHROPIC, "/v1/messages"),
    COUNT_TOKENS(Dialect.ANTHROPIC, "/v1/messages/count_tokens");

    private final Dialect dialect;
    private final String path;

    Endpoint(Dialect dialect, String path) {
        this.dialect = dialect;
        this.path = path;
    }

    public Dialect dialect() { return dialect; }
    public String path() { return path; }
}
