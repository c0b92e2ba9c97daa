package dev.gantry.bench;

import java.nio.charset.StandardCharsets;

/**
 * Realistic chat-completion request bodies: a system message and a user message, about 1 KB in
 * all, as a coding agent or an SDK sends them. No {@code stream_options}: the OpenAI SDKs do not
 * ask for stream usage by default, so the gateway has to ask the upstream for it and hide the
 * usage chunk from the client, which is the more expensive of its two streaming paths.
 */
final class Bodies {
    private static final String SYSTEM = "You are a careful senior software engineer helping a colleague review a change."
            + " Answer concisely, cite the file and line you are talking about, prefer concrete suggestions over"
            + " general advice, and say so plainly when you are not sure. Do not invent APIs: if a method is not in"
            + " the code you were shown, ask for it. Format code as fenced blocks with the language named.";
    private static final String USER = "Here is a Java method that reads a configuration file and returns the"
            + " providers it declares. It works, but the team thinks it allocates too much on every reload and the"
            + " error messages are unhelpful when a field is missing. Please review it and propose a version that"
            + " keeps the same public signature, reports the path of the offending field, and does not re-read the"
            + " file when its modification time has not changed. Keep the answer under two hundred words and list"
            + " the trade-offs of caching the parsed result in a static field versus in the loader instance.";

    private Bodies() {}

    /** The chat request for {@code model}, streaming or not, as UTF-8 bytes. */
    static byte[] chat(String model, boolean stream) {
        return chat(model, stream, false);
    }

    /**
     * @param streamUsage ask for {@code stream_options.include_usage} as some clients do (OpenCode,
     *     LiteLLM's SDK); a gateway then passes the usage chunk through instead of hiding it
     */
    static byte[] chat(String model, boolean stream, boolean streamUsage) {
        String json = "{\"model\":\"" + model + "\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"" + SYSTEM + "\"},"
                + "{\"role\":\"user\",\"content\":\"" + USER + "\"}],"
                + "\"temperature\":0.2,\"max_tokens\":512,\"stream\":" + stream
                + (stream && streamUsage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The same conversation as an Anthropic Messages request, as Claude Code or the Anthropic SDK
     * sends it: the system prompt in its own field, {@code max_tokens} (required by the protocol).
     */
    static byte[] messages(String model, boolean stream) {
        String json = "{\"model\":\"" + model + "\",\"max_tokens\":512,"
                + "\"system\":\"" + SYSTEM + "\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + USER + "\"}],"
                + "\"temperature\":0.2,\"stream\":" + stream + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
