package dev.gantry.translate.fromresponses;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Makes the ids of responses and their items ({@code resp_...}, {@code msg_...}, {@code fc_...}). */
@FunctionalInterface
interface Ids {
    String next(String prefix);

    /** OpenAI's shape: the prefix and 48 hex digits. Unique, not secret. */
    Ids RANDOM = prefix -> {
        byte[] bytes = new byte[24];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    };
}
