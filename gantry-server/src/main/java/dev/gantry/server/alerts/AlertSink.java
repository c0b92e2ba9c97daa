package dev.gantry.server.alerts;

import java.util.Map;

/** Where alerts go: {@link AlertSender} posts them to the webhook; tests collect them. */
@FunctionalInterface
public interface AlertSink {
    /**
     * @param kind   what happened, e.g. {@code budget_threshold}, {@code deployment_down}
     * @param text   the sentence people read; names, ids, counts and amounts, never keys or prompts
     * @param fields the same facts, structured (strings, numbers, booleans)
     */
    void send(String kind, String text, Map<String, ?> fields);
}
