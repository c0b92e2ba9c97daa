package dev.gantry.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a user's keys work. Suspending keeps the user, their keys and their history. */
public enum UserStatus {
    ACTIVE,
    /** Every key of the user is refused until the user is active again. */
    SUSPENDED;

    public String dbName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<UserStatus> fromName(String name) {
        return Arrays.stream(values()).filter(s -> s.dbName().equals(name)).findFirst();
    }
}
