package dev.gantry.identity;

import java.time.Instant;
import java.util.Objects;

/** The organisation's own budget and limits: one per installation. */
public record OrgSettings(Quota quota, Instant updatedAt) {
    public OrgSettings {
        Objects.requireNonNull(quota, "quota");
    }
}
