package dev.gantry.server.cli;

/**
 * A call to the admin API that did not succeed: the gateway answered with an error, or could not be
 * reached. The message is meant for the person at the terminal, ready to print as is.
 */
final class AdminException extends RuntimeException {
    AdminException(String message) {
        super(message);
    }
}
