package dev.gantry.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A person, or an account that applications use. */
public enum UserKind {
    HUMAN,
    /** Owns keys that applications use; has no email of necessity and cannot log in to the console. */
    SERVICE;

    public String dbName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<UserKind> fromName(String name) {
        return Arrays.stream(values()).filter(k -> k.dbName().equals(name)).findFirst();
    }
}
