package dev.gantry.translate.fromchat;

/**
 * What the upstream model id says about limits an OpenAI client does not know of: the output cap
 * to assume when the client sets none (Anthropic requires {@code max_tokens}) and which form of
 * extended thinking the model accepts. Read from the version in the id ({@code claude-3-5-haiku-...},
 * {@code claude-sonnet-4-5}, {@code anthropic.claude-opus-4-1-...-v1:0}); an id without a Claude
 * version (another server speaking Anthropic's protocol) gets the most conservative answers.
 */
record ClaudeModel(int major, int minor) {
    static final ClaudeModel UNKNOWN = new ClaudeModel(-1, 0);

    /** Every Claude model accepts 4,096 output tokens; claude-3-5 models 8,192. */
    static final int LEGACY_MAX_TOKENS = 4096;
    static final int CLAUDE_3_5_MAX_TOKENS = 8192;
    /** The smallest output cap among Claude 3.7 and 4.x models (Opus 4 and 4.1 stop at 32,000). */
    static final int MODERN_MAX_TOKENS = 32_000;

    enum Thinking {
        /** reasoning_effort is dropped. */
        NONE,
        /** {@code thinking: {type: enabled, budget_tokens}}: Claude 3.7 up to 4.5. */
        BUDGET,
        /** {@code thinking: {type: adaptive}} with {@code output_config.effort}: Claude 4.6 and later (4.7 accepts nothing else). */
        ADAPTIVE
    }

    static ClaudeModel of(String modelId) {
        if (modelId == null) return UNKNOWN;
        int at = modelId.indexOf("claude-");
        if (at < 0) return UNKNOWN;
        String[] tokens = modelId.substring(at + "claude-".length()).split("-");
        int major = -1;
        for (String token : tokens) {
            int number = leadingSmallNumber(token);
            if (major < 0) {
                if (number >= 0) major = number;
            } else {
                return new ClaudeModel(major, Math.max(number, 0));
            }
        }
        return major < 0 ? UNKNOWN : new ClaudeModel(major, 0);
    }

    /** A version component: one or two leading digits ({@code 5@20250929} is 5); a date or a word is -1. */
    private static int leadingSmallNumber(String token) {
        int digits = 0;
        while (digits < token.length() && Character.isDigit(token.charAt(digits))) digits++;
        if (digits == 0 || digits > 2) return -1;
        return Integer.parseInt(token.substring(0, digits));
    }

    private boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    int defaultMaxTokens() {
        if (atLeast(3, 7)) return MODERN_MAX_TOKENS;
        if (atLeast(3, 5)) return CLAUDE_3_5_MAX_TOKENS;
        return LEGACY_MAX_TOKENS;
    }

    /** Claude Opus 4.1 and later refuse a request that sets both temperature and top_p. */
    boolean acceptsTemperatureWithTopP() {
        return !atLeast(4, 1);
    }

    Thinking thinking() {
        if (atLeast(4, 6)) return Thinking.ADAPTIVE;
        if (atLeast(3, 7)) return Thinking.BUDGET;
        return Thinking.NONE;
    }
}
