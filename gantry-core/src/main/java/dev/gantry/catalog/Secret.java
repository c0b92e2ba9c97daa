package dev.gantry.catalog;

/** A credential that must never reach a log line: {@code toString} hides it. */
public record Secret(String value) {
    public boolean isEmpty() { return value == null || value.isEmpty(); }

    @Override
    public String toString() { return isEmpty() ? "<none>" : "<secret>"; }
}
