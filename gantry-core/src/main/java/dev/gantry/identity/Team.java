package dev.gantry.identity;

import java.time.Instant;
import java.util.Objects;

/** A group of users that shares a budget and limits. Keys may spend for one team of their user. */
public record Team(String id, String name, String description, Quota quota, Instant createdAt, Instant updatedAt) {
    public Team {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(quota, "quota");
        description = description == null ? "" : description;
    }
}
