package dev.gantry.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a key may do. Data-plane calls need no role; the admin API needs {@link #OWNER} or {@link #ADMIN}. */
public enum Role {
    /** Everything, including managing admins. The bootstrap key is an owner. */
    OWNER,
    ADMIN,
    /** Calls models with its own keys; no admin API. */
    MEMBER;

    public boolean canAdminister() { return this == OWNER || this == ADMIN; }

    public String dbName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Role> fromName(String name) {
        return Arrays.stream(values()).filter(r -> r.dbName().equals(name)).findFirst();
    }
}
