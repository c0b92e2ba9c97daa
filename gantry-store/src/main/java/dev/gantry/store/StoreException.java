package dev.gantry.store;

import java.sql.SQLException;

/** A database operation failed; the cause says why. Unchecked so callers on futures stay readable. */
public class StoreException extends RuntimeException {
    public StoreException(String what, SQLException cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}
