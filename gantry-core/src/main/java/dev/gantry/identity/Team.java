package dev.gantry.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A group of users that shares a budget and limits. Keys may spend for one team of their user.
 * {@code captureBodies}: the gateway keeps the prompt and completion of requests made with the
 * team's keys (off unless a team admin turns it on).
 */
public record Team(String id, String name, String description, Quota quota, boolean captureBodies, Instant createdAt,
        Instant updatedAt) {
    public Team {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(quota, "quota");
        description = description == null ? "" : description;
    }

    /** A team that captures no bodies. */
    public Team(String id, String name, String description, Quota quota, Instant createdAt, Instant updatedAt) {
        this(id, name, description, quota, false, createdAt, updatedAt);
    }
}
