package dev.gantry.protocol;

/** The data-plane operations the gateway serves, each with the dialect its clients speak. */
public enum Endpoint {
    CHAT_COMPLETIONS(Dialect.OPENAI, "/v1/chat/completions", true),
    RESPONSES(Dialect.OPENAI, "/v1/responses", true),
    EMBEDDINGS(Dialect.OPENAI, "/v1/embeddings", false),
    MESSAGES(Dialect.ANTHROPIC, "/v1/messages", true),
    COUNT_TOKENS(Dialect.ANTHROPIC, "/v1/messages/count_tokens", false);

    private final Dialect dialect;
    private final String path;
    private final boolean canStream;

    Endpoint(Dialect dialect, String path, boolean canStream) {
        this.dialect = dialect;
        this.path = path;
        this.canStream = canStream;
    }

    public Dialect dialect() { return dialect; }
    public String path() { return path; }
    public boolean canStream() { return canStream; }
}
