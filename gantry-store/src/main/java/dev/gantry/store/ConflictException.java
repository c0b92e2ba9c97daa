package dev.gantry.store;

import java.sql.SQLException;

/**
 * A write would have broken a uniqueness rule: an email, a team name, a key hash or an id already
 * in use, or a user already in a team. The caller's request conflicts with what is stored (409),
 * as opposed to the store failing.
 */
public final class ConflictException extends StoreException {
    public ConflictException(String what, SQLException cause) {
        super(what, cause);
    }
}
