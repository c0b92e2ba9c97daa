package dev.gantry.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A user's role in the organisation; docs/governance.md has the table of what each may do. */
public enum OrgRole {
    /** Everything, including managing owners. */
    OWNER,
    /** Everything except creating, changing or demoting owners. */
    ADMIN,
    /** Themselves, their own keys and usage; more through team memberships. */
    MEMBER,
    /** Reads everything except secrets; changes nothing. */
    VIEWER;

    public String dbName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<OrgRole> fromName(String name) {
        return Arrays.stream(values()).filter(r -> r.dbName().equals(name)).findFirst();
    }
}
