package dev.gantry.identity;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A person or service account of the organisation. Keys belong to users; a user's authority is
 * their {@link OrgRole} plus their team memberships.
 *
 * @param email lower-cased and unique; required for humans, optional for service accounts
 */
public record User(String id, String email, String displayName, UserStatus status, OrgRole role, UserKind kind,
                   Quota quota, Instant createdAt, Instant updatedAt) {
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(quota, "quota");
        email = normalizeEmail(email);
        if (email == null && kind == UserKind.HUMAN) throw new IllegalArgumentException("a human user needs an email");
    }

    /** Emails compare without case or surrounding blanks; blank is none. */
    public static String normalizeEmail(String email) {
        if (email == null || email.isBlank()) return null;
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public boolean isActive() { return status == UserStatus.ACTIVE; }
}
