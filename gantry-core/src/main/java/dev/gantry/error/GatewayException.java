package dev.gantry.error;

/**
 * A failure with a known {@link ErrorCode} and a message fit to show the client. It carries no
 * stack trace: these are expected outcomes (bad input, upstream trouble), not bugs, and they are
 * created on the hot path. Not final: the admin API adds field-level detail to its validation errors.
 */
public class GatewayException extends RuntimeException {
    private final ErrorCode code;

    public GatewayException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() { return code; }
}
