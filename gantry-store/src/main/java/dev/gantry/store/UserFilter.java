package dev.gantry.store;

import dev.gantry.identity.OrgRole;
import dev.gantry.identity.UserKind;
import dev.gantry.identity.UserStatus;

/**
 * Which users a listing returns; a null field matches every user.
 *
 * @param search text found, ignoring case, in the email or the display name
 * @param teamId only members of this team
 */
public record UserFilter(String search, UserStatus status, OrgRole role, UserKind kind, String teamId) {
    public static final UserFilter ALL = new UserFilter(null, null, null, null, null);

    public UserFilter withStatus(UserStatus s) { return new UserFilter(search, s, role, kind, teamId); }

    public UserFilter withRole(OrgRole r) { return new UserFilter(search, status, r, kind, teamId); }
}
