package dev.gantry.sim;

import java.util.concurrent.ThreadLocalRandom;

/** Response ids shaped like the real ones, so that a gateway that parses or logs them sees the
 * same lengths and alphabets it will see in production. */
final class Ids {
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {}

    /** {@code chatcmpl-} and 29 characters, as OpenAI's chat completion ids. */
    static String chatCompletion() {
        return random("chatcmpl-", 29);
    }

    /** {@code call_} and 24 characters, as OpenAI's tool call ids. */
    static String toolCall() {
        return random("call_", 24);
    }

    /** {@code msg_01} and 22 characters, as Anthropic's message ids. */
    static String message() {
        return random("msg_01", 22);
    }

    /** {@code toolu_01} and 22 characters, as Anthropic's tool use ids. */
    static String toolUse() {
        return random("toolu_01", 22);
    }

    /** {@code req_} and 24 characters, for the {@code x-request-id} / {@code request-id} headers. */
    static String request() {
        return random("req_", 24);
    }

    private static String random(String prefix, int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[prefix.length() + length];
        prefix.getChars(0, prefix.length(), out, 0);
        for (int i = prefix.length(); i < out.length; i++) {
            out[i] = BASE62[random.nextInt(BASE62.length)];
        }
        return new String(out);
    }
}
