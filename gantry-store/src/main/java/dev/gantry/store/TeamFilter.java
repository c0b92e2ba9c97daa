package dev.gantry.store;

/**
 * Which teams a listing returns; a null field matches every team.
 *
 * @param search text found, ignoring case, in the name or the description
 * @param userId only teams this user is a member of
 */
public record TeamFilter(String search, String userId) {
    public static final TeamFilter ALL = new TeamFilter(null, null);
}
