package dev.gantry.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulated model "generates" for one request, independent of protocol and of
 * streaming, so that a stream and its non-streaming twin, and the OpenAI and Anthropic answers to
 * the same behaviour, report the same pieces and the same token counts.
 *
 * @param reasoning reasoning fragments, empty for none
 * @param text text chunks {@code "tok0 "}, {@code "tok1 "}..., empty when answering with a tool call
 * @param toolCall the tool call to make, or null
 * @param arguments the tool call's arguments in fragments, empty without a tool call
 * @param truncated the text was cut by the request's {@code max_tokens}
 * @param promptTokens uncached prompt tokens (the estimate from the request text)
 * @param cachedTokens prompt tokens read from the cache
 * @param cacheCreationTokens prompt tokens written to the cache (Anthropic only)
 */
record Answer(
        List<String> reasoning,
        List<String> text,
        SimBehaviour.ToolCall toolCall,
        List<String> arguments,
        boolean truncated,
        int promptTokens,
        int cachedTokens,
        int cacheCreationTokens) {

    /** One completion token per piece generated (reasoning included, as both APIs count it). */
    int completionTokens() {
        return reasoning.size() + text.size() + arguments.size();
    }

    String fullText() {
        return String.join("", text);
    }

    String fullReasoning() {
        return String.join("", reasoning);
    }

    /**
     * @param maxTokens the request's output limit, or 0 for none; it caps the text chunks (not
     *     reasoning nor tool arguments, to keep a tool call whole)
     */
    static Answer plan(SimBehaviour b, int promptTokens, int maxTokens) {
        List<String> reasoning =
                b.reasoning() == null || b.reasoning().isEmpty() ? List.of() : split(b.reasoning(), b.chunks());
        List<String> text = List.of();
        List<String> arguments = List.of();
        boolean truncated = false;
        if (b.toolCall() != null) {
            arguments = split(b.toolCall().arguments(), b.chunks());
        } else {
            int n = b.chunks();
            if (maxTokens > 0 && maxTokens < n) {
                n = maxTokens;
                truncated = true;
            }
            List<String> chunks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                chunks.add("tok" + i + " ");
            }
            text = chunks;
        }
        return new Answer(reasoning, text, b.toolCall(), arguments, truncated, promptTokens,
                b.cachedTokens(), b.cacheCreationTokens());
    }

    /** {@code s} in at most {@code parts} fragments of near-equal length (at least one), never
     * splitting a surrogate pair. */
    static List<String> split(String s, int parts) {
        int n = Math.max(1, Math.min(parts, s.length()));
        List<String> out = new ArrayList<>(n);
        int start = 0;
        for (int i = 1; i <= n && start < s.length(); i++) {
            int end = i == n ? s.length() : (int) ((long) s.length() * i / n);
            if (end < s.length() && end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
                end++;
            }
            if (end > start) {
                out.add(s.substring(start, end));
                start = end;
            }
        }
        if (out.isEmpty()) {
            out.add(s);
        }
        return out;
    }
}
