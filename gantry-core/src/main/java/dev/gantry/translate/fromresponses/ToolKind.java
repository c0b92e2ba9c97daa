package dev.gantry.translate.fromresponses;

/**
 * The kinds of client tool a Chat upstream can be given as a function, and the kind of output item
 * a call of each comes back as.
 */
enum ToolKind {
    /** {@code type: function}: a {@code function_call} item. */
    FUNCTION,
    /**
     * {@code type: custom} (free-form input, e.g. Codex's {@code apply_patch} for GPT-5 models): a
     * function taking one string, {@code input}; a {@code custom_tool_call} item.
     */
    CUSTOM,
    /** {@code type: local_shell} (Codex with codex-mini): a function taking a command; a {@code local_shell_call} item. */
    LOCAL_SHELL;

    /** The name a local_shell tool goes by on the Chat side. */
    static final String LOCAL_SHELL_NAME = "local_shell";
}
