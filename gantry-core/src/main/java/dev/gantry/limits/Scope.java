package dev.gantry.limits;

import java.util.Locale;
import java.util.Objects;

/**
 * What a budget or a rate limit applies to: one key, user, team or model, or the organisation.
 * Used as a map key on every request, so it is a plain value of an enum and a string.
 */
public record Scope(Type type, String id) {
    public enum Type { KEY, USER, TEAM, ORG, MODEL }

    /** There is one organisation per installation; its scope needs no id of its own. */
    public static final Scope ORG = new Scope(Type.ORG, "org");

    public Scope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Scope key(String id) { return new Scope(Type.KEY, id); }

    public static Scope user(String id) { return new Scope(Type.USER, id); }

    public static Scope team(String id) { return new Scope(Type.TEAM, id); }

    public static Scope model(String name) { return new Scope(Type.MODEL, name); }

    /** {@code key:abc}, {@code org:org}: how refusals and alerts name the scope. */
    @Override
    public String toString() { return type.name().toLowerCase(Locale.ROOT) + ":" + id; }
}
