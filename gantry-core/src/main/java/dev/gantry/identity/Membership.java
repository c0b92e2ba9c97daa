package dev.gantry.identity;

import java.time.Instant;
import java.util.Objects;

/** A user's place in a team. A user may be in many teams. */
public record Membership(String teamId, String userId, TeamRole role, Instant createdAt) {
    public Membership {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
    }
}
