package dev.gantry.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A member's role in one team. */
public enum TeamRole {
    /** Manages the team's budgets and limits, its memberships and its members' keys. */
    TEAM_ADMIN,
    MEMBER;

    public String dbName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<TeamRole> fromName(String name) {
        return Arrays.stream(values()).filter(r -> r.dbName().equals(name)).findFirst();
    }
}
