package dev.gantry.config;

/** A configuration that cannot be used; the message names the file, line and field. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
